"""Checks at entry: what a journalist (or an import) is about to record, against what the desk
already knows. Each check returns warnings; forms and imports decide what a warning stops.

- possibly the same person: names compared after folding (NFKC, so full-width Latin is plain
  Latin; accents dropped; case ignored), with given names mapped to their full forms
  (people/nicknames.py) and the order of the words ignored (surname first);
- possibly the same organization: names compared without legal suffixes ("Inc.", "LLC",
  "株式会社"), punctuation, spaces or case;
- conflicting titles: a title beside a different post the person holds at the same
  organization whose name is close (an acronym one letter apart, CIO and CISO) or related
  (a shared subject word, "Chief Research Officer" and "VP of Research");
- one holder at a time: a post an editor marked ``one_holder`` whose holder's tenure is open;
- dates: a move after today warns; before the organization's founding is refused (by the
  service, people.services._validate, so that every way in refuses it).

Each name or title check reads at most one query.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from newsroom.dates import PartialDate
from people.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    RoleChangeKind,
    Tenure,
)
from people.nicknames import CANONICAL

_WORD = re.compile(r"\w+")
LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "plc",
        "pbc",
        "lp",
        "llp",
        "kk",
        "bv",
        "nv",
        "srl",
        "spa",
        "株式会社",
        "有限会社",
        "合同会社",
    ]
)
# Words that say how senior a post is, not what it is about.
_RANK_WORDS = frozenset(
    [
        "chief",
        "officer",
        "vp",
        "vice",
        "president",
        "svp",
        "evp",
        "senior",
        "executive",
        "head",
        "of",
        "the",
        "and",
        "for",
        "director",
        "lead",
        "leader",
        "deputy",
        "co",
        "member",
        "staff",
        "global",
        "group",
        "general",
        "principal",
        "interim",
        "acting",
    ]
)


def fold(text: str) -> str:
    """Full-width to plain (NFKC), accents dropped, case ignored."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def person_key(name: str) -> tuple[str, ...]:
    """ "Matthew Knight", "Knight Matt" and "ＭＡＴＴ ＫＮＩＧＨＴ" share a key."""
    return tuple(sorted(CANONICAL.get(word, word) for word in words(name)))


def organization_key(name: str) -> str:
    """ "Open AI", "OpenAI, Inc." and "openai" share a key."""
    kept = [word for word in words(name) if word not in LEGAL_SUFFIXES]
    for suffix in ("株式会社", "有限会社", "合同会社"):
        kept = [word.removeprefix(suffix).removesuffix(suffix) for word in kept]
    return "".join(kept)


@dataclass(frozen=True)
class Candidate:
    """Someone (or an organization) on record that a new name may be: its id, name, and the
    name of theirs that matched when it is another one."""

    pk: int
    name: str
    matched: str

    @property
    def also(self) -> str:
        return self.matched if self.matched != self.name else ""


def _token_filter(field: str, tokens: list[str]) -> Q:
    query = Q()
    for token in tokens:
        query |= Q(**{f"{field}__folded_contains": token})
    return query


def _candidates(model, name_model, owner: str, tokens: list[str]) -> list[tuple[int, str, str]]:
    """(id, name, matched name) of every record whose name or other name contains a token:
    one query, a union of the two searches."""
    if not tokens:
        return []
    by_name = (
        model.objects.filter(_token_filter("name", tokens))
        .order_by()
        .values_list("pk", "name", "name")
    )
    by_other = (
        name_model.objects.filter(_token_filter("name", tokens))
        .order_by()
        .values_list(f"{owner}_id", f"{owner}__name", "name")
    )
    return list(by_name.union(by_other, all=True).order_by()[:200])


def _unique(rows: list[tuple[int, str, str]]) -> list[Candidate]:
    seen: dict[int, Candidate] = {}
    for pk, name, matched in rows:
        if pk not in seen or seen[pk].matched != seen[pk].name:
            seen.setdefault(pk, Candidate(pk, name, matched))
    return sorted(seen.values(), key=lambda candidate: (candidate.name, candidate.pk))


def similar_people(name: str) -> list[Candidate]:
    """People on record who may be the person called ``name`` (one query)."""
    key = person_key(name)
    if not key:
        return []
    # Search by the folded words and their full forms: "matthew" finds "Matt Knight" through
    # "knight", "マシュー・ナイト" finds the other name through either word.
    tokens = sorted({word for word in words(name) if len(word) >= 2})
    rows = _candidates(Person, PersonName, "person", tokens)
    return _unique([row for row in rows if person_key(row[2]) == key])


def similar_organizations(name: str) -> list[Candidate]:
    """Organizations on record that may be the one called ``name`` (one query)."""
    key = organization_key(name)
    if not key:
        return []
    tokens = sorted({word for word in words(name) if len(word) >= 2 and word not in LEGAL_SUFFIXES})
    rows = _candidates(Organization, OrganizationName, "organization", tokens)
    return _unique([row for row in rows if organization_key(row[2]) == key])


# Titles -------------------------------------------------------------------------------------


def acronym(title: str) -> str:
    """ "Chief Information Security Officer" → "ciso"; "CIO" → "cio"."""
    title_words = words(title)
    if len(title_words) == 1:
        return title_words[0]
    return "".join(word[0] for word in title_words if word not in ("of", "and", "the", "for"))


def subject_words(title: str) -> set[str]:
    """What a post is about: "Chief Research Officer" and "VP of Research" → {"research"}."""
    return {word for word in words(title) if word not in _RANK_WORDS and len(word) > 2}


def _one_letter_apart(first: str, second: str) -> bool:
    if abs(len(first) - len(second)) != 1 or min(len(first), len(second)) < 3:
        return False
    short, long = sorted((first, second), key=len)
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def titles_related(first: str, second: str) -> bool:
    """Close or related titles, for "conflicting titles" (see the module docstring)."""
    if fold(first).strip() == fold(second).strip():
        return False
    if _one_letter_apart(acronym(first), acronym(second)):
        return True
    return bool(subject_words(first) & subject_words(second))


@dataclass(frozen=True)
class TitleWarning:
    """A warning about the title entered: ``kind`` is "conflict" or "one_holder"."""

    kind: str
    message: str
    tenure: Tenure


def title_warnings(
    *,
    person: Person | None,
    organization: Organization | None,
    title: str,
    kind: str,
    effective: PartialDate | None,
    previous_title: str = "",
) -> list[TitleWarning]:
    """Conflicting titles and a second holder of a one-holder post (one query)."""
    if organization is None or organization.pk is None or not title.strip() or effective is None:
        return []
    if RoleChangeKind(kind) == RoleChangeKind.LEFT:
        return []
    person_id = person.pk if person is not None else None
    day = effective.earliest
    open_then = Q(end_latest__isnull=True) | Q(end_latest__gt=day)
    mine = Q(person_id=person_id) if person_id else Q(pk__in=[])
    others_one_holder = Q(post__title__iexact=title.strip(), post__one_holder=True)
    if person_id:
        others_one_holder &= ~Q(person_id=person_id)
    tenures = (
        Tenure.objects.desk()
        .filter(organization=organization)
        .filter(open_then)
        .filter(mine | others_one_holder)
        .select_related("post", "person")
    )
    warnings = []
    for tenure in tenures:
        if tenure.person_id == person_id:
            held = tenure.post.title
            if held.casefold() == previous_title.strip().casefold():
                continue
            if titles_related(held, title):
                warnings.append(
                    TitleWarning(
                        "conflict",
                        _(
                            "%(person)s already holds %(held)s at %(organization)s (%(span)s), "
                            "a post close to “%(title)s”. Is it the same post under another "
                            "name, a new post that ends %(held)s, or a second post held at once?"
                        )
                        % {
                            "person": tenure.person.name,
                            "held": held,
                            "organization": organization.name,
                            "span": tenure.span(),
                            "title": title.strip(),
                        },
                        tenure,
                    )
                )
        else:
            warnings.append(
                TitleWarning(
                    "one_holder",
                    _(
                        "%(post)s at %(organization)s has one holder at a time, and "
                        "%(holder)s's tenure (%(span)s) has no end on record before this "
                        "date. Record their departure, or check the entry."
                    )
                    % {
                        "post": tenure.post.title,
                        "organization": organization.name,
                        "holder": tenure.person.name,
                        "span": tenure.span(),
                    },
                    tenure,
                )
            )
    return warnings


def date_warnings(effective: PartialDate | None, *, today: datetime.date) -> list[str]:
    """A move dated after today (all of its days) is most often a typing slip."""
    if effective is not None and effective.earliest > today:
        return [
            _("The date %(date)s is after today: check it, or confirm a move announced ahead.")
            % {"date": effective.display()}
        ]
    return []


def before_founding(organization: Organization, effective: PartialDate) -> str:
    """The refusal of a move that certainly took effect before the organization existed, or
    an empty string."""
    founded = organization.founded
    if founded is None or effective.latest >= founded.earliest:
        return ""
    return _(
        "A move on %(date)s comes before %(organization)s was founded (%(founded)s), so it "
        "cannot be recorded there. Check the date or the organization."
    ) % {
        "organization": organization.name,
        "founded": founded.display(),
        "date": effective.display(),
    }
