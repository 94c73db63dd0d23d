"""The demo desk's people, organizations and moves: OpenAI's September 2024 leadership changes.

Facts come from ../shared/reference/seed-facts.md (the reported changes, with their
precision) plus a few from other public reporting needed to answer "who led OpenAI on a
date". Dates are written exactly as precise as the facts are: "2017-01", "2018".

Loading is idempotent: running it again finds everything in place and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from newsroom.dates import PartialDate
from people.models import (
    Organization,
    OrganizationKind,
    Person,
    PersonName,
    Post,
    Rank,
    RoleChange,
)
from people.services import (
    OtherName,
    organization_create,
    person_create,
    post_get_or_create,
    role_change_record,
)

ORGANIZATIONS = {
    "OpenAI": {
        "kind": OrganizationKind.COMPANY,
        "description": "AI research and product company based in San Francisco.",
        "homepage": "https://openai.com/",
        "founded": "2015-12-11",
        "other_names": [],
    },
    "Anthropic": {
        "kind": OrganizationKind.COMPANY,
        "description": "AI company founded in 2021 by former OpenAI staff led by the "
        "siblings Dario and Daniela Amodei.",
        "homepage": "https://www.anthropic.com/",
        "founded": "2021",
        "other_names": [OtherName("アントロピック", "ja")],
    },
}

PEOPLE: dict[str, list[OtherName]] = {
    "Sam Altman": [
        OtherName("サム・アルトマン", "ja"),
        OtherName("アルトマン", "ja", "family name"),
        OtherName("サム", "ja", "given name"),
    ],
    "Mira Murati": [OtherName("ミラ・ムラティ", "ja"), OtherName("ミラ", "ja", "given name")],
    "Bob McGrew": [OtherName("ボブ・マグルー", "ja")],
    "Barret Zoph": [OtherName("バレット・ゾフ", "ja")],
    "Mark Chen": [OtherName("マーク・チェン", "ja")],
    "Jakub Pachocki": [OtherName("ヤクブ・パチョッキ", "ja")],
    "Josh Achiam": [OtherName("ジョシュア・アキアム", "ja"), OtherName("ジョシュ・アキアム", "ja")],
    "Kevin Weil": [OtherName("ケビン・ワイル", "ja"), OtherName("ケビン", "ja", "given name")],
    "Srinivas Narayanan": [
        OtherName("スリニヴァス・ナラヤナン", "ja"),
        OtherName("スリニヴァス", "ja", "given name"),
    ],
    "Matt Knight": [OtherName("マット・ナイト", "ja"), OtherName("マシュー・ナイト", "ja")],
    "Ilya Sutskever": [
        OtherName("イリヤ・サツケバー", "ja"),
        OtherName("イリヤ", "ja", "given name"),
    ],
    "Jan Leike": [OtherName("ヤン・ライケ", "ja")],
    "John Schulman": [OtherName("ジョン・シュルマン", "ja")],
    "Jason Kwon": [OtherName("ジェイソン・クォン", "ja")],
    "Greg Brockman": [
        OtherName("グレッグ・ブロックマン", "ja"),
        OtherName("グレッグ", "ja", "given name"),
    ],
    "Dario Amodei": [
        OtherName("ダリオ・アモデイ", "ja"),
        OtherName("アモデイ", "ja", "family name"),
    ],
    "Daniela Amodei": [
        OtherName("ダニエラ・アモデイ", "ja"),
        OtherName("アモデイ", "ja", "family name"),
    ],
    "Emmett Shear": [OtherName("エメット・シアー", "ja")],
}

# (title, rank, counts as leadership) for every post the moves below name.
POSTS = {
    "OpenAI": [
        ("CEO", Rank.CEO, True),
        ("Chief Technology Officer", Rank.C_SUITE, True),
        ("Chief Scientist", Rank.C_SUITE, True),
        ("Chief Research Officer", Rank.C_SUITE, True),
        ("Chief Product Officer", Rank.C_SUITE, True),
        ("Chief Information Security Officer", Rank.C_SUITE, True),
        ("Chief Strategy Officer", Rank.C_SUITE, True),
        ("President", Rank.PRESIDENT, True),
        ("SVP of Research", Rank.SVP, True),
        ("VP of Research", Rank.VP, True),
        ("VP of Research, Post-Training", Rank.VP, True),
        ("VP of Engineering", Rank.VP, True),
        ("VP of Safety and Policy", Rank.VP, True),
        ("Head of Mission Alignment", Rank.HEAD, True),
        ("Superalignment co-lead", Rank.HEAD, True),
        ("Co-founder", Rank.OTHER, False),
        ("Member of Technical Staff", Rank.OTHER, False),
        ("Research staff", Rank.OTHER, False),
        ("Research lead", Rank.OTHER, False),
        ("Engineering staff", Rank.OTHER, False),
        ("Security lead", Rank.OTHER, False),
        ("Intern", Rank.OTHER, False),
    ],
    "Anthropic": [
        ("CEO", Rank.CEO, True),
        ("President", Rank.PRESIDENT, True),
        ("Researcher", Rank.OTHER, False),
    ],
}


@dataclass(frozen=True)
class Move:
    person: str
    organization: str
    kind: str
    title: str
    effective: str
    previous_title: str = ""
    leaves_organization: bool = False
    announced: str = ""
    interim: bool = False
    key: str = field(default="", compare=False)


ANNOUNCED = "2024-09-25"

MOVES = [
    # OpenAI, known from other public reporting.
    Move("Ilya Sutskever", "OpenAI", "joined", "Chief Scientist", "2015-12", key="sutskever-joins"),
    Move("Sam Altman", "OpenAI", "appointed", "CEO", "2019", key="altman-ceo"),
    Move("Mira Murati", "OpenAI", "joined", "Engineering staff", "2018", key="murati-joins"),
    Move(
        "Mira Murati",
        "OpenAI",
        "appointed",
        "Chief Technology Officer",
        "2022-05",
        previous_title="Engineering staff",
        key="murati-cto",
    ),
    # Reported in the September 2024 article.
    Move(
        "Bob McGrew", "OpenAI", "joined", "Member of Technical Staff", "2017-01", key="mcgrew-joins"
    ),
    Move(
        "Bob McGrew",
        "OpenAI",
        "promoted",
        "VP of Research",
        "2018",
        previous_title="Member of Technical Staff",
        key="mcgrew-vp",
    ),
    Move("Jakub Pachocki", "OpenAI", "joined", "Research lead", "2017", key="pachocki-joins"),
    Move("Josh Achiam", "OpenAI", "joined", "Intern", "2017", key="achiam-intern"),
    Move("Josh Achiam", "OpenAI", "left", "Intern", "2017", key="achiam-intern-ends"),
    Move("Mark Chen", "OpenAI", "joined", "Research staff", "2018", key="chen-joins"),
    Move("Matt Knight", "OpenAI", "joined", "Security lead", "2020", key="knight-joins"),
    Move(
        "Dario Amodei",
        "OpenAI",
        "left",
        "VP of Research",
        "2021",
        leaves_organization=True,
        key="dario-leaves",
    ),
    Move(
        "Daniela Amodei",
        "OpenAI",
        "left",
        "VP of Safety and Policy",
        "2021",
        leaves_organization=True,
        key="daniela-leaves",
    ),
    Move("Dario Amodei", "Anthropic", "joined", "CEO", "2021", key="dario-founds"),
    Move("Daniela Amodei", "Anthropic", "joined", "President", "2021", key="daniela-founds"),
    Move(
        "Barret Zoph", "OpenAI", "joined", "VP of Research, Post-Training", "2022", key="zoph-joins"
    ),
    Move(
        "Srinivas Narayanan", "OpenAI", "joined", "VP of Engineering", "2023", key="narayanan-joins"
    ),
    Move(
        "Ilya Sutskever",
        "OpenAI",
        "left",
        "Chief Scientist",
        "2024-05",
        leaves_organization=True,
        key="sutskever-leaves",
    ),
    Move(
        "Jan Leike",
        "OpenAI",
        "left",
        "Superalignment co-lead",
        "2024-05",
        leaves_organization=True,
        key="leike-leaves",
    ),
    Move(
        "Jakub Pachocki",
        "OpenAI",
        "appointed",
        "Chief Scientist",
        "2024-05",
        previous_title="Research lead",
        key="pachocki-chief-scientist",
    ),
    # November 2023, known from other public reporting: three CEOs in six days. The board
    # removed Sam Altman on November 17 and named Mira Murati, the CTO, interim CEO (she
    # stayed CTO); Emmett Shear took over as interim CEO on November 20; on November 22
    # OpenAI announced Altman's return as CEO, and Shear's interim tenure ended.
    Move(
        "Sam Altman",
        "OpenAI",
        "left",
        "CEO",
        "2023-11-17",
        leaves_organization=True,
        announced="2023-11-17",
        key="altman-removed",
    ),
    Move(
        "Mira Murati",
        "OpenAI",
        "appointed",
        "CEO",
        "2023-11-17",
        announced="2023-11-17",
        interim=True,
        key="murati-interim-ceo",
    ),
    Move("Mira Murati", "OpenAI", "left", "CEO", "2023-11-20", key="murati-interim-ends"),
    Move(
        "Emmett Shear",
        "OpenAI",
        "joined",
        "CEO",
        "2023-11-20",
        announced="2023-11-20",
        interim=True,
        key="shear-interim-ceo",
    ),
    Move(
        "Emmett Shear",
        "OpenAI",
        "left",
        "CEO",
        "2023-11-22",
        leaves_organization=True,
        announced="2023-11-22",
        key="shear-leaves",
    ),
    Move(
        "Sam Altman",
        "OpenAI",
        "joined",
        "CEO",
        "2023-11-22",
        announced="2023-11-22",
        key="altman-returns",
    ),
    Move("Kevin Weil", "OpenAI", "joined", "Chief Product Officer", "2024-06", key="weil-joins"),
    Move(
        "John Schulman",
        "OpenAI",
        "left",
        "Co-founder",
        "2024-08",
        leaves_organization=True,
        key="schulman-leaves",
    ),
    Move("John Schulman", "Anthropic", "joined", "Researcher", "2024-08", key="schulman-anthropic"),
    Move(
        "Mira Murati",
        "OpenAI",
        "left",
        "Chief Technology Officer",
        "2024-09-25",
        leaves_organization=True,
        announced=ANNOUNCED,
        key="murati-leaves",
    ),
    Move(
        "Bob McGrew",
        "OpenAI",
        "left",
        "Chief Research Officer",
        "2024-09-25",
        leaves_organization=True,
        announced=ANNOUNCED,
        key="mcgrew-leaves",
    ),
    Move(
        "Barret Zoph",
        "OpenAI",
        "left",
        "VP of Research, Post-Training",
        "2024-09-25",
        leaves_organization=True,
        announced=ANNOUNCED,
        key="zoph-leaves",
    ),
    Move(
        "Mark Chen",
        "OpenAI",
        "promoted",
        "SVP of Research",
        "2024-09-25",
        previous_title="Research staff",
        announced=ANNOUNCED,
        key="chen-svp",
    ),
    Move(
        "Josh Achiam",
        "OpenAI",
        "appointed",
        "Head of Mission Alignment",
        "2024-09-25",
        announced=ANNOUNCED,
        key="achiam-mission-alignment",
    ),
    # In post on the day of the article; when they took the post up, it does not say (an
    # appointment dated that day would invent it): "held" records exactly this. Matt Knight
    # is "confirmed" as the CISO he "has long been".
    Move(
        "Matt Knight",
        "OpenAI",
        "held",
        "Chief Information Security Officer",
        "2024-09-25",
        announced=ANNOUNCED,
        key="knight-ciso",
    ),
    Move("Jason Kwon", "OpenAI", "held", "Chief Strategy Officer", "2024-09-25", key="kwon-cso"),
    Move("Greg Brockman", "OpenAI", "held", "President", "2024-09-25", key="brockman-president"),
]


@dataclass
class DemoPeople:
    organizations: dict[str, Organization]
    people: dict[str, Person]
    moves: dict[str, RoleChange]
    created: int = 0


def load_people(*, confirm: bool = True) -> DemoPeople:
    """Create what is missing of the demo people desk; leave what exists alone.

    ``confirm`` marks every demo move as publicly confirmed (the people desk on its own has
    no citations yet; the stories app's demo confirms moves through verified citations).
    """
    with transaction.atomic():
        result = DemoPeople(organizations={}, people={}, moves={})
        for name, details in ORGANIZATIONS.items():
            organization = Organization.objects.filter(name=name).first()
            if organization is None:
                organization = organization_create(
                    name=name,
                    kind=details["kind"],
                    description=details["description"],
                    homepage=details["homepage"],
                    other_names=details["other_names"],
                    founded=PartialDate.parse(details["founded"]),
                )
                result.created += 1
            elif organization.founded is None:
                # A demo desk loaded before organizations had a founding date gains it.
                organization.founded = PartialDate.parse(details["founded"])
                organization.save(
                    update_fields=["founded_date", "founded_precision", "founded_latest"]
                )
            result.organizations[name] = organization
            for title, rank, leadership in POSTS[name]:
                if not Post.objects.filter(organization=organization, title=title).exists():
                    post_get_or_create(
                        organization=organization, title=title, rank=rank, is_leadership=leadership
                    )
                    result.created += 1
        for name, other_names in PEOPLE.items():
            person = Person.objects.filter(name=name).first()
            if person is None:
                person = person_create(name=name, other_names=other_names)
                result.created += 1
            else:
                result.created += _add_missing_names(person, other_names)
            result.people[name] = person
        for move in MOVES:
            result.moves[move.key] = _record(move, result, confirm=confirm)
    return result


def _add_missing_names(person: Person, other_names: list[OtherName]) -> int:
    """A demo desk loaded before the Japanese edition gains the Japanese names it needs."""
    known = {name.lower() for name in person.other_names.values_list("name", flat=True)}
    missing = [other for other in other_names if other.name.lower() not in known]
    for other in missing:
        PersonName.objects.create(
            person=person, name=other.name, language=other.language, note=other.note
        )
    return len(missing)


def _record(move: Move, demo: DemoPeople, *, confirm: bool) -> RoleChange:
    person = demo.people[move.person]
    organization = demo.organizations[move.organization]
    effective = PartialDate.parse(move.effective)
    existing = RoleChange.objects.filter(
        person=person,
        organization=organization,
        post__title=move.title,
        kind=move.kind,
        effective_date=effective.earliest,
        effective_precision=effective.precision,
    ).first()
    if existing is not None:
        return existing
    demo.created += 1
    return role_change_record(
        person=person,
        organization=organization,
        title=move.title,
        kind=move.kind,
        effective=effective,
        announced=PartialDate.parse(move.announced) if move.announced else None,
        previous_title=move.previous_title,
        leaves_organization=move.leaves_organization,
        is_interim=move.interim,
        is_public=confirm,
    )
