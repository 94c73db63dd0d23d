"""The demo desk's citations: what each demo move rests on, and the traps left for the editor.

Most moves rest on the Japanese article the product was conceived from (618ZXW, a
translation of a QuantumBit piece), quoted in short passages with an English translation;
Barret Zoph's departure also rests on his own post on X, the one usable link the article
prints. The facts "known from other public reporting" rest on Wikipedia articles, the
November 2023 week of three CEOs (Sam Altman removed, Mira Murati and then Emmett Shear
interim, Altman back) on Wikipedia's account of it and the people's own pages.

Left pending for the editor, from the reference sheet's traps:
- Matt Knight named "Chief Information Officer": a translation slip for CISO;
- Bob McGrew's "8 years at OpenAI", which January 2017 to September 2024 is not;
- Barret Zoph's post pasted again with its share-tracking parameters: the same source.

Loading is idempotent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Case, When

from newsroom.dates import PartialDate
from people.demo import DemoPeople
from people.models import RoleChange
from people.services import role_change_record
from stories.canonical import canonical_url
from stories.models import Citation, CitationState, SourceKind, Story
from stories.services import (
    citation_decide,
    citation_record,
    story_attach,
    story_create,
    story_publish,
    story_save,
    story_submit,
)

ARTICLE = "https://618zxw.cn/w/1303.html"
NOVEMBER_2023 = "https://en.wikipedia.org/wiki/Removal_of_Sam_Altman_from_OpenAI"
ZOPH_POST = "https://x.com/barret_zoph/status/1839095143397515452?s=46&t=iTysI4vQLQqCNJjSmBODPw"

SOURCES = {
    ARTICLE: {
        "title": "OpenAIはトップ幹部3名を失い、マネージャーは1名のみとなりました",
        "publisher": "618ZXW (translation of a QuantumBit article)",
        "kind": SourceKind.ARTICLE,
        "published": "2024-09",
        "language": "ja",
    },
    ZOPH_POST: {
        "title": "Barret Zoph on X: leaving OpenAI",
        "publisher": "X",
        "kind": SourceKind.POST,
        "published": "2024-09-25",
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Mira_Murati": {
        "title": "Mira Murati",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Sam_Altman": {
        "title": "Sam Altman",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Ilya_Sutskever": {
        "title": "Ilya Sutskever",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Greg_Brockman": {
        "title": "Greg Brockman",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Removal_of_Sam_Altman_from_OpenAI": {
        "title": "Removal of Sam Altman from OpenAI",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Emmett_Shear": {
        "title": "Emmett Shear",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
    "https://en.wikipedia.org/wiki/Anthropic": {
        "title": "Anthropic",
        "publisher": "Wikipedia",
        "kind": SourceKind.ARTICLE,
        "language": "en",
    },
}


@dataclass(frozen=True)
class Cite:
    move: str
    source: str
    quote: str = ""
    translation: str = ""
    speaker: str = ""
    verify: bool = True


def _article(move: str, quote: str, translation: str, speaker: str = "") -> Cite:
    return Cite(move, ARTICLE, quote, translation, speaker)


CITATIONS = [
    Cite("sutskever-joins", "https://en.wikipedia.org/wiki/Ilya_Sutskever"),
    Cite("altman-ceo", "https://en.wikipedia.org/wiki/Sam_Altman"),
    Cite("murati-joins", "https://en.wikipedia.org/wiki/Mira_Murati"),
    Cite("murati-cto", "https://en.wikipedia.org/wiki/Mira_Murati"),
    _article(
        "mcgrew-joins",
        "ボブ・マグルーは2017年1月にOpenAIに入社し",
        "Bob McGrew joined OpenAI in January 2017",
    ),
    _article(
        "mcgrew-vp",
        "2018年に技術スタッフから研究担当副社長に昇進し",
        "in 2018 he was promoted from technical staff to VP of Research",
    ),
    _article(
        "pachocki-joins",
        "Jakub Pachockiは2017年にOpenAIに入社し、当初はDotaチームを率い",
        "Jakub Pachocki joined OpenAI in 2017 and first led the Dota team",
    ),
    _article(
        "achiam-intern",
        "2017年にOpenAIでインターンシップを経験し",
        "he interned at OpenAI in 2017",
    ),
    _article(
        "achiam-intern-ends",
        "2017年にOpenAIでインターンシップを経験し、後にリサーチサイエンティストに昇進",
        "he interned at OpenAI in 2017 and was later promoted to research scientist",
    ),
    _article("chen-joins", "彼は2018年にOpenAIに入社し", "He joined OpenAI in 2018"),
    _article(
        "knight-joins",
        "彼は 2020 年に OpenAI に入社し、セキュリティ、IT、セキュリティとプライバシーの分野での"
        "研究とエンジニアリングの取り組みを主導しました",
        "He joined OpenAI in 2020 and led research and engineering in security, IT and privacy",
    ),
    _article(
        "dario-leaves",
        "多くのGPT-3研究者を率いてAnthropicを設立したAmodei兄弟の離脱",
        "the departure of the Amodei siblings, who led many GPT-3 researchers to found Anthropic",
    ),
    _article(
        "daniela-leaves",
        "多くのGPT-3研究者を率いてAnthropicを設立したAmodei兄弟の離脱",
        "the departure of the Amodei siblings, who led many GPT-3 researchers to found Anthropic",
    ),
    Cite("dario-founds", "https://en.wikipedia.org/wiki/Anthropic"),
    Cite("altman-removed", NOVEMBER_2023),
    Cite("altman-removed", "https://en.wikipedia.org/wiki/Sam_Altman"),
    Cite("murati-interim-ceo", NOVEMBER_2023),
    Cite("murati-interim-ceo", "https://en.wikipedia.org/wiki/Mira_Murati"),
    Cite("murati-interim-ends", NOVEMBER_2023),
    Cite("shear-interim-ceo", NOVEMBER_2023),
    Cite("shear-interim-ceo", "https://en.wikipedia.org/wiki/Emmett_Shear"),
    Cite("shear-leaves", NOVEMBER_2023),
    Cite("altman-returns", NOVEMBER_2023),
    Cite("altman-returns", "https://en.wikipedia.org/wiki/Sam_Altman"),
    Cite("daniela-founds", "https://en.wikipedia.org/wiki/Anthropic"),
    _article(
        "zoph-joins",
        "彼は 2022 年に OpenAI に入社し、トレーニング後のチームをゼロから構築して率いています",
        "He joined OpenAI in 2022 and built and led the post-training team from scratch",
    ),
    _article(
        "narayanan-joins",
        "Srinivas 氏は 2023 年にエンジニアリング担当副社長として入社し",
        "Srinivas joined in 2023 as VP of Engineering",
    ),
    _article(
        "sutskever-leaves",
        "今年5月、Ilya氏とRLHFの発明者の1人であるJan Leike氏が共に同社を去った",
        "In May this year, Ilya and Jan Leike, one of the inventors of RLHF, both left",
    ),
    _article(
        "leike-leaves",
        "今年5月、Ilya氏とRLHFの発明者の1人であるJan Leike氏が共に同社を去った",
        "In May this year, Ilya and Jan Leike, one of the inventors of RLHF, both left",
    ),
    _article(
        "pachocki-chief-scientist",
        "今年5月、彼はイリヤの後任として主任科学者に就任した",
        "In May this year he succeeded Ilya as Chief Scientist",
    ),
    _article(
        "weil-joins",
        "Kevin Weil 氏は今年 6 月に CPO (最高製品責任者) として OpenAI に入社しました",
        "Kevin Weil joined OpenAI in June this year as CPO (Chief Product Officer)",
    ),
    _article(
        "schulman-leaves",
        "ジョン・シュルマン氏がアントロピックに赴任した",
        "John Schulman moved to Anthropic",
    ),
    _article(
        "schulman-anthropic",
        "ジョン・シュルマン氏がアントロピックに赴任した",
        "John Schulman moved to Anthropic",
    ),
    _article(
        "murati-leaves",
        "過去6年半にわたり、ミラはOpenAIの発展と成長において重要な役割を果たしてきました",
        "For the past six and a half years, Mira has played a key role in OpenAI's growth",
        speaker="Sam Altman",
    ),
    _article(
        "mcgrew-leaves",
        "ボブとバレットもOpenAIを退社することを決定しました",
        "Bob and Barret have also decided to leave OpenAI",
        speaker="Sam Altman",
    ),
    _article(
        "zoph-leaves",
        "ボブとバレットもOpenAIを退社することを決定しました",
        "Bob and Barret have also decided to leave OpenAI",
        speaker="Sam Altman",
    ),
    Cite(
        "zoph-leaves",
        ZOPH_POST,
        quote="I have decided to leave OpenAI.",
        speaker="Barret Zoph",
    ),
    _article(
        "chen-svp",
        "マークは研究担当シニアバイスプレジデントに就任し",
        "Mark is taking the role of Senior Vice President of Research",
        speaker="Sam Altman",
    ),
    _article(
        "achiam-mission-alignment",
        "ジョシュ・アキアムが新たなミッション・アライメント・リーダーに就任し",
        "Josh Achiam is taking on a new role as Head of Mission Alignment",
        speaker="Sam Altman",
    ),
    _article(
        "kwon-cso",
        "最高戦略責任者のジェイソン・クォン氏も「ミラよりも良いパートナーは見つからないだろう」と"
        "ツイートした",
        "Chief Strategy Officer Jason Kwon also tweeted that there would be no better partner "
        "than Mira",
    ),
    Cite("brockman-president", "https://en.wikipedia.org/wiki/Greg_Brockman"),
    _article(
        "knight-ciso",
        "マシュー・ナイトが最高情報セキュリティ責任者を務めます",
        "Matthew Knight serves as Chief Information Security Officer",
    ),
]

# The traps: recorded by the journalist, left for the editor to catch.
TRAP_MOVE = {
    "person": "Matt Knight",
    "organization": "OpenAI",
    "kind": "appointed",
    "title": "Chief Information Officer",
    "effective": "2024-09-25",
}
TRAPS = [
    Cite(
        "knight-cio",
        ARTICLE,
        "マット・ナイトが長年務めてきた最高情報セキュリティ責任者(CIO)に就任します",
        "Matt Knight is taking on the role of Chief Information Security Officer (CIO), "
        "which he has long held",
        speaker="Sam Altman",
        verify=False,
    ),
    Cite(
        "mcgrew-joins",
        ARTICLE,
        "OpenAIでの8年間は、私に深い謙虚さと畏敬の念を植え付けました",
        "My eight years at OpenAI have left me deeply humbled and in awe",
        speaker="Bob McGrew",
        verify=False,
    ),
    Cite("zoph-leaves", ZOPH_POST, verify=False),
]


@dataclass(frozen=True)
class DemoAccounts:
    journalist: User
    editor: User
    created: tuple[str, ...]  # usernames created by this call, with its password
    kept: tuple[str, ...]  # usernames that already existed: their password is untouched


def ensure_accounts(password: str | Callable[[], str]) -> DemoAccounts:
    """The demo journalist and editor. An existing account keeps its password.

    ``password`` may be a function, called only when an account has to be created (so a
    password is never generated, nor stored, for accounts that already exist).
    """
    users: dict[str, User] = {}
    created, kept = [], []
    for username, group, is_staff in (
        ("journalist", "Journalists", False),
        ("editor", "Editors", True),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            if callable(password):
                password = password()
            user = User(username=username, email=f"{username}@newsroom.invalid", is_staff=is_staff)
            user.set_password(password)
            user.save()
            created.append(username)
        else:
            kept.append(username)
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return DemoAccounts(users["journalist"], users["editor"], tuple(created), tuple(kept))


def load_citations(people: DemoPeople, *, journalist: User, editor: User) -> int:
    """Attach the demo citations, verify the sound ones, leave the traps pending."""
    created = 0
    with transaction.atomic():
        moves = dict(people.moves)
        moves["knight-cio"] = _trap_move(people, journalist)
        for cite in [*CITATIONS, *TRAPS]:
            citation, is_new = _cite(cite, moves, people, journalist)
            created += is_new
            if cite.verify and citation.state == CitationState.PENDING:
                citation_decide(
                    citation=citation,
                    editor=editor,
                    decision=CitationState.VERIFIED,
                    note="Checked against the source.",
                )
                created += 1
    return created


def _trap_move(people: DemoPeople, journalist: User) -> RoleChange:
    effective = PartialDate.parse(TRAP_MOVE["effective"])
    existing = RoleChange.objects.filter(
        person=people.people[TRAP_MOVE["person"]],
        post__title=TRAP_MOVE["title"],
        kind=TRAP_MOVE["kind"],
        effective_date=effective.earliest,
    ).first()
    if existing is not None:
        return existing
    return role_change_record(
        person=people.people[TRAP_MOVE["person"]],
        organization=people.organizations[TRAP_MOVE["organization"]],
        title=TRAP_MOVE["title"],
        kind=TRAP_MOVE["kind"],
        effective=effective,
        announced=effective,
        recorded_by=journalist,
    )


def _cite(cite: Cite, moves: dict, people: DemoPeople, journalist: User):
    role_change = moves[cite.move]
    details = SOURCES[cite.source]
    existing = Citation.objects.filter(
        role_change=role_change, source__canonical_url=canonical_url(cite.source)
    )
    if cite.quote:
        existing = existing.filter(statement__quote=cite.quote)
    else:
        existing = existing.filter(statement__isnull=True)
    found = existing.first()
    if found is not None:
        return found, False
    citation = citation_record(
        role_change=role_change,
        source_url=cite.source,
        source_title=details["title"],
        source_publisher=details["publisher"],
        source_kind=details["kind"],
        source_published=PartialDate.parse(details["published"])
        if details.get("published")
        else None,
        source_language=details["language"],
        quote=cite.quote,
        translation=cite.translation,
        quote_language=details["language"] if cite.quote else "",
        speaker=people.people.get(cite.speaker),
        recorded_by=journalist,
    )
    return citation, True


PUBLISHED_STORY = {
    "title": "OpenAI loses its CTO and two research leaders in one day",
    "dek": "Mira Murati, Bob McGrew and Barret Zoph leave; Mark Chen takes over research "
    "alongside chief scientist Jakub Pachocki.",
    "body": """\
OpenAI's chief technology officer, Mira Murati, announced on September 25, 2024 that she was
leaving the company after about six and a half years.{murati-leaves} Hours later, chief
executive Sam Altman told staff that two more research leaders were going too: Bob McGrew,
who ran research, and Barret Zoph, who built and led the post-training team.{mcgrew-leaves}
Zoph confirmed his departure in a post of his own.{zoph-post}

## Who runs research now

Mark Chen, who joined OpenAI in 2018, was promoted to senior vice president of research and
will lead the research organization with Jakub Pachocki,{chen-svp} the chief scientist since
May 2024, when he succeeded Ilya Sutskever.{pachocki-chief-scientist}

Josh Achiam becomes head of mission alignment,{achiam-mission-alignment} and Matt Knight
serves as chief information security officer.{knight-ciso}

## A year of departures

The three exits follow those of Ilya Sutskever and Jan Leike in May{leike-leaves} and of
co-founder John Schulman, who moved to Anthropic in August.{schulman-leaves}

## Who has led OpenAI

[timeline:openai]
""",
    "markers": {
        "murati-leaves": ("murati-leaves", ARTICLE),
        "mcgrew-leaves": ("mcgrew-leaves", ARTICLE),
        "zoph-post": ("zoph-leaves", "https://x.com/barret_zoph/status/1839095143397515452"),
        "chen-svp": ("chen-svp", ARTICLE),
        "pachocki-chief-scientist": ("pachocki-chief-scientist", ARTICLE),
        "achiam-mission-alignment": ("achiam-mission-alignment", ARTICLE),
        "knight-ciso": ("knight-ciso", ARTICLE),
        "leike-leaves": ("leike-leaves", ARTICLE),
        "schulman-leaves": ("schulman-leaves", ARTICLE),
    },
}

REVIEW_STORY = {
    "title": "Who is left at the top of OpenAI",
    "dek": "After the September changes, six leaders report directly to Sam Altman.",
    "body": """\
After the September 25 changes, Mark Chen, Jakub Pachocki, Kevin Weil, Srinivas Narayanan,
Matt Knight and Josh Achiam report directly to Sam Altman.{chen-svp}

The announcement named Matt Knight chief information officer.{knight-cio}
""",
    "markers": {
        "chen-svp": ("chen-svp", ARTICLE),
        "knight-cio": ("knight-cio", ARTICLE),
    },
}


# The published story's Japanese version (the Japanese edition's own text, not a machine
# translation): reviewed and published on its own, linked to the English original.
JAPANESE_STORY = {
    "title": "OpenAI、CTOと研究部門の幹部2人が同じ日に退社",
    "dek": "ミラ・ムラティ、ボブ・マグルー、バレット・ゾフの3人が去り、研究部門はマーク・チェンが"
    "チーフサイエンティストのヤクブ・パチョッキとともに率いる。",
    "body": """\
OpenAIの最高技術責任者（CTO）ミラ・ムラティ氏は2024年9月25日、約6年半務めた同社を去ると
発表した。{murati-leaves}その数時間後、サム・アルトマンCEOは社員に対し、さらに2人の研究部門の
幹部が退社すると伝えた。研究を統括してきたボブ・マグルー氏と、ポストトレーニングのチームを
立ち上げて率いてきたバレット・ゾフ氏である。{mcgrew-leaves}ゾフ氏は自身の投稿でも退社を
認めた。{zoph-post}

## 研究部門を率いるのは誰か

2018年にOpenAIに入社したマーク・チェン氏が研究担当上級副社長に昇進し、2024年5月に
イリヤ・サツケバー氏の後を継いだチーフサイエンティストのヤクブ・パチョッキ氏とともに
研究部門を率いる。{chen-svp}{pachocki-chief-scientist}

ジョシュ・アキアム氏はミッション・アラインメント責任者に就き、{achiam-mission-alignment}
マット・ナイト氏は最高情報セキュリティ責任者（CISO）を務める。{knight-ciso}

## 退社が続いた1年

今回の3人の退社は、5月のイリヤ・サツケバー氏とヤン・ライケ氏、{leike-leaves}8月に
Anthropicへ移った共同創業者ジョン・シュルマン氏に続くものだ。{schulman-leaves}

## OpenAIの歴代経営陣

[timeline:openai]
""",
    "markers": PUBLISHED_STORY["markers"],
    "language": "ja",
}


PUBLISHED_AT = datetime.datetime(2024, 9, 26, 9, 0, tzinfo=datetime.UTC)


def load_stories(people: DemoPeople, *, journalist: User, editor: User) -> int:
    """A published story with verified, footnoted citations, and one in review that an
    editor cannot publish yet because one of its citations is still pending."""
    created = 0
    moves = dict(people.moves)
    moves["knight-cio"] = RoleChange.objects.get(
        person=people.people["Matt Knight"], post__title=TRAP_MOVE["title"]
    )
    for spec, publish in ((PUBLISHED_STORY, True), (JAPANESE_STORY, True), (REVIEW_STORY, False)):
        if Story.objects.filter(title=spec["title"]).exists():
            continue
        citations = {
            name: Citation.objects.filter(
                role_change=moves[move], source__canonical_url=canonical_url(url)
            )
            .order_by(Case(When(state=CitationState.VERIFIED, then=0), default=1), "pk")
            .first()
            for name, (move, url) in spec["markers"].items()
        }
        story = story_create(
            author=journalist,
            title=spec["title"],
            dek=spec["dek"],
            language=spec.get("language", "en"),
            translation_of=(
                Story.objects.filter(title=PUBLISHED_STORY["title"]).first()
                if spec is JAPANESE_STORY
                else None
            ),
        )
        story_attach(
            story=story,
            user=journalist,
            citations=list(citations.values()),
            organizations=[people.organizations["OpenAI"]],
        )
        body = spec["body"].format(**{name: c.marker for name, c in citations.items()})
        story = story_save(
            story=story,
            editor=journalist,
            base_version=story.version,
            title=story.title,
            dek=story.dek,
            body=body,
            language=story.language,
        )
        story_submit(story=story, user=journalist)
        if publish:
            story_publish(story=story, editor=editor)
            # Demo data only: date the story the day after the changes it reports, so the
            # sidebar's "as when published" view shows September 2024.
            # The Japanese version follows a few hours later.
            published_at = PUBLISHED_AT + datetime.timedelta(
                hours=6 if spec is JAPANESE_STORY else 0
            )
            Story.objects.filter(pk=story.pk).update(
                first_published_at=published_at, last_updated_at=published_at
            )
        created += 1
    return created
