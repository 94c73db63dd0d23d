"""Claims in text the desk can check: durations, counts and titles, in English and Japanese.

Rule-based: the desk's own names, other names and post titles are the vocabulary, and a
sentence is read for

- a duration ("eight years", "8 years", "six and a half years", "nearly seven years", "6年半",
  "八年", "8年間") tied to the person the sentence names (or the quote's speaker), compared with
  their time at the organization from recorded dates at their precision;
- a count of departures ("15 executives left in six months", "more than 10 this year",
  "10人以上"), compared with the departures on record in that window, as a range when partial
  dates straddle its edge;
- a title beside a name ("CIO Matt Knight", "Matt Knight, chief information officer"),
  compared with the posts the person held (or may have held) on the date.

Pure: :class:`Record` holds what the desk knows (stories/services/claims.py loads it), and
:func:`check_text` returns :class:`ClaimFlag` s. Flags never block saving.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from newsroom.dates import PartialDate, count_within
from people.checks import acronym, fold
from people.queries import months_before

# Numbers --------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12, "a": 1, "an": 1,
}  # fmt: skip
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBER = (
    r"(?:\d+(?:\.\d+)?|a dozen|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
)
_JA_NUMBER = r"(?:[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十]+)"


def number_value(text: str) -> float | None:
    """ "8", "eight", "a dozen", "十五", "八" as a number."""
    text = fold(text).strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    if re.fullmatch(r"[一二三四五六七八九十]+", text):
        if "十" not in text:
            return float(_KANJI_DIGITS.get(text, 0)) or None
        tens, _sep, ones = text.partition("十")
        return float(_KANJI_DIGITS.get(tens, 1) * 10 + _KANJI_DIGITS.get(ones, 0))
    return None


# What the desk knows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A tenure as the checks read it: a post at an organization, from and to (partial)."""

    person_id: int
    organization_id: int
    title: str
    start: PartialDate | None
    start_after: datetime.date | None
    end: PartialDate | None
    end_is_bound: bool
    seen: PartialDate | None = None

    def possibly_held_on(self, day: datetime.date) -> bool:
        first = self.start.earliest if self.start else self.start_after
        if first is not None and day < first:
            return False
        return self.end is None or day < self.end.latest


@dataclass(frozen=True)
class Departure:
    person_id: int
    organization_id: int
    effective: PartialDate


@dataclass
class Record:
    """What the checks compare with: people and their names, organizations and their names,
    tenures (confirmed), departures from the organizations (confirmed)."""

    people: dict[int, list[str]] = field(default_factory=dict)  # id -> names, display first
    organizations: dict[int, list[str]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)

    def name(self, person_id: int) -> str:
        return self.people[person_id][0]

    def organization_name(self, organization_id: int) -> str:
        return self.organizations[organization_id][0]


@dataclass(frozen=True)
class ClaimFlag:
    """A claim that disagrees with the record: what, where, and why."""

    kind: str  # "duration", "count" or "title"
    sentence: str
    claim: str
    message: str

    @property
    def fingerprint(self) -> str:
        """Stable across saves while the sentence and claim stay the same (an editor's
        "checked" mark follows it)."""
        text = f"{self.kind}\n{' '.join(self.sentence.split())}\n{self.claim}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


# Reading text -------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    normalized = unicodedata.normalize("NFKC", text)
    # Protect decimals and initials: split only on a stop followed by space or end.
    parts = re.split(r"(?<=[.!?])\s+|(?<=[。！？])|\n+", normalized)
    return [part.strip() for part in parts if part and part.strip()]


def _mentions(sentence: str, names: dict[int, list[str]]) -> list[tuple[int, int, int]]:
    """(id, start, end) of each name of the record in the sentence, longest names first."""
    folded = fold(sentence)
    found: list[tuple[int, int, int]] = []
    taken: list[tuple[int, int]] = []
    candidates = [(name, pk) for pk, all_names in names.items() for name in all_names if name]
    for name, pk in sorted(candidates, key=lambda item: -len(item[0])):
        needle = fold(name)
        for match in re.finditer(re.escape(needle), folded):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            # Latin names only as whole words.
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            if needle[0].isascii() and (before.isalnum() or after.isalnum()):
                continue
            taken.append((start, end))
            found.append((pk, start, end))
    return sorted(found, key=lambda item: item[1])


@dataclass(frozen=True)
class Context:
    """Where the text comes from: its date, its speaker (a quote), the organizations it is
    about when it names none."""

    day: datetime.date
    speaker_id: int | None = None
    organization_ids: tuple[int, ...] = ()


def check_text(text: str, *, record: Record, context: Context) -> list[ClaimFlag]:
    """Every claim in ``text`` that disagrees with ``record``."""
    flags: list[ClaimFlag] = []
    for sentence in sentences(text):
        people = _mentions(sentence, record.people)
        organizations = [pk for pk, _s, _e in _mentions(sentence, record.organizations)]
        organizations = organizations or list(context.organization_ids)
        flags += _check_count(sentence, record, context, organizations)
        if flags and flags[-1].sentence == sentence:
            continue  # a count sentence: its numbers are not durations
        subject = people[0][0] if people else context.speaker_id
        if subject is not None:
            flags += _check_duration(sentence, record, context, subject, organizations)
        for person_id, start, end in people:
            flags += _check_title(sentence, record, context, person_id, start, end)
    return flags


# Durations ------------------------------------------------------------------------------------

_EN_DURATION = re.compile(
    r"(?P<hedge>nearly|almost|about|around|roughly|over|more than|less than|under|just under|"
    r"just over)?\s*(?P<number>" + _EN_NUMBER + r")(?P<half>\s+and\s+a\s+half)?[\s-]+years?\b"
    r"(?!\s+(?:ago|old|later|earlier))(?!-old)",
    re.IGNORECASE,
)
_JA_DURATION = re.compile(
    r"(?P<hedge>約|ほぼ|およそ)?(?P<number>" + _JA_NUMBER + r")年(?P<half>半)?(?P<span>間)?"
    r"(?P<after>近く|以上|余り|弱|強)?(?![0-9一二三四五六七八九十]|月|度|代|生|前|後|ぶり|目)"
)


def _duration_claims(sentence: str) -> list[tuple[str, float, float]]:
    """(claim text, low, high) in years, for each duration in the sentence."""
    claims = []
    for match in _EN_DURATION.finditer(sentence):
        value = number_value(match["number"])
        if value is None or value > 80:
            continue
        value += 0.5 if match["half"] else 0
        claims.append((match.group().strip(), *_years_range(value, (match["hedge"] or "").lower())))
    for match in _JA_DURATION.finditer(sentence):
        value = number_value(match["number"])
        if value is None or value > 80:
            continue
        value += 0.5 if match["half"] else 0
        hedge = {"約": "about", "ほぼ": "about", "およそ": "about"}.get(match["hedge"] or "", "")
        hedge = {"近く": "nearly", "以上": "over", "余り": "over", "弱": "nearly"}.get(
            match["after"] or "", hedge
        )
        claims.append((match.group(), *_years_range(value, hedge)))
    return claims


def _years_range(value: float, hedge: str) -> tuple[float, float]:
    if hedge in ("nearly", "almost", "just under"):
        return value - 1, value
    if hedge in ("over", "more than", "just over"):
        return value, math.inf
    if hedge in ("less than", "under"):
        return 0, value
    if hedge in ("about", "around", "roughly"):
        return value - 0.5, value + 0.5
    # "Eight years": what a reader rounds to eight.
    return value - 0.25, value + 0.25


def time_at(
    record: Record, person_id: int, organization_id: int, day: datetime.date
) -> tuple[float, float] | None:
    """The person's time at the organization in years, shortest and longest, from the
    recorded dates at their precision (up to ``day`` while they are still there)."""
    spans = [
        span
        for span in record.spans
        if span.person_id == person_id and span.organization_id == organization_id
    ]
    starts = [span.start for span in spans if span.start]
    if not spans or not starts:
        return None
    first = min(starts, key=lambda start: start.earliest)
    if any(span.end is None for span in spans):
        last_low = last_high = day
    else:
        last_high = max(span.end.latest for span in spans)
        exact = [span.end.earliest for span in spans if not span.end_is_bound]
        last_low = max(exact) if exact else first.latest
    low = (last_low - first.latest).days / 365.25
    high = (last_high - first.earliest).days / 365.25
    return max(low, 0), max(high, 0)


def years_and_months(years: float) -> str:
    months = round(years * 12)
    whole, rest = divmod(months, 12)
    return _("%(years)d years %(months)d months") % {"years": whole, "months": rest}


def _check_duration(sentence, record, context, person_id, organizations) -> list[ClaimFlag]:
    claims = _duration_claims(sentence)
    if not claims:
        return []
    flags = []
    for organization_id in _organizations_of(record, person_id, organizations):
        computed = time_at(record, person_id, organization_id, context.day)
        if computed is None:
            continue
        low, high = computed
        for claim, claim_low, claim_high in claims:
            if claim_low <= high and low <= claim_high:
                continue
            flags.append(
                ClaimFlag(
                    "duration",
                    sentence,
                    claim,
                    _(
                        "“%(claim)s”: %(person)s's time at %(organization)s on record is "
                        "between %(low)s and %(high)s (%(moves)s)."
                    )
                    % {
                        "claim": claim,
                        "person": record.name(person_id),
                        "organization": record.organization_name(organization_id),
                        "low": years_and_months(low),
                        "high": years_and_months(high),
                        "moves": _moves_text(record, person_id, organization_id),
                    },
                )
            )
    return flags


def _organizations_of(record: Record, person_id: int, organizations: list[int]) -> list[int]:
    """The organizations named (or the text's) where the person has tenures; else the one
    organization they have any at."""
    theirs = {span.organization_id for span in record.spans if span.person_id == person_id}
    named = [pk for pk in organizations if pk in theirs]
    if named:
        return named[:1]
    return list(theirs) if len(theirs) == 1 else []


def _moves_text(record: Record, person_id: int, organization_id: int) -> str:
    parts = []
    for span in record.spans:
        if span.person_id != person_id or span.organization_id != organization_id:
            continue
        since = span.start.display() if span.start else _("start unknown")
        if span.end is None:
            parts.append(_("%(title)s since %(since)s") % {"title": span.title, "since": since})
        else:
            until = (_("by %s") % span.end.display()) if span.end_is_bound else span.end.display()
            parts.append(
                _("%(title)s %(since)s – %(until)s")
                % {"title": span.title, "since": since, "until": until}
            )
    return "; ".join(parts)


# Counts ---------------------------------------------------------------------------------------

_EN_COUNT = re.compile(
    r"(?P<hedge>more than|over|at least|nearly|almost|about|around|some|fewer than)?\s*"
    r"\b(?P<number>" + _EN_NUMBER + r")\s+(?:[\w-]+\s+){0,3}?"
    r"(?:(?:executives|leaders|people|staff|employees|researchers|members|officers|founders|"
    r"co-founders|managers)\s+(?:have\s+|had\s+)?(?:left|departed|quit|exited|resigned)|"
    r"departures)\b",
    re.IGNORECASE,
)
_EN_WINDOW = re.compile(
    r"(?:in|over|within|during)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?"
    r"(?P<number>" + _EN_NUMBER + r")?\s*(?P<unit>months?|years?)\b|(?P<this>this year)|"
    r"\bin\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_JA_COUNT = re.compile(
    r"(?P<before>約|およそ)?(?P<number>" + _JA_NUMBER + r")人(?P<hedge>以上|超|近く|あまり)?"
)
_JA_LEAVING = re.compile(r"退社|退職|離れ|去っ|去る|辞任|退任|離脱|辞め")
_JA_WINDOW = re.compile(
    r"(?P<number>" + _JA_NUMBER + r")(?:か月|ヶ月|カ月|ヵ月|箇月)|(?P<half>半年)|(?P<this>今年)|"
    r"(?P<year>(?:19|20)[0-9]{2})年(?![0-9]+月)|(?:この|過去)(?P<years>" + _JA_NUMBER + r")年"
)


def _window(sentence: str, day: datetime.date) -> tuple[datetime.date, datetime.date, str] | None:
    """The window a count speaks of, ending on ``day`` unless it names a year."""
    match = _EN_WINDOW.search(sentence)
    if match:
        if match["this"]:
            return datetime.date(day.year, 1, 1), day, match.group()
        if match["year"]:
            year = int(match["year"])
            return datetime.date(year, 1, 1), min(day, datetime.date(year, 12, 31)), match.group()
        number = number_value(match["number"] or "one") or 1
        months = int(number * (12 if match["unit"].lower().startswith("year") else 1))
        return months_before(day, months), day, match.group()
    match = _JA_WINDOW.search(sentence)
    if match:
        if match["this"]:
            return datetime.date(day.year, 1, 1), day, match.group()
        if match["year"]:
            year = int(match["year"])
            return datetime.date(year, 1, 1), min(day, datetime.date(year, 12, 31)), match.group()
        if match["half"]:
            return months_before(day, 6), day, match.group()
        if match["years"]:
            return months_before(day, int(number_value(match["years"]) or 1) * 12), day, ""
        return months_before(day, int(number_value(match["number"]) or 1)), day, match.group()
    return None


def _count_claims(sentence: str) -> list[tuple[str, int, float]]:
    claims = []
    for match in _EN_COUNT.finditer(sentence):
        value = number_value(match["number"])
        if value is not None:
            claims.append((match.group().strip(), *_count_range(value, match["hedge"] or "")))
    if _JA_LEAVING.search(sentence):
        for match in _JA_COUNT.finditer(sentence):
            value = number_value(match["number"])
            hedge = {"以上": "at least", "超": "more than", "近く": "nearly", "あまり": "over"}.get(
                match["hedge"] or "", "about" if match["before"] else ""
            )
            if value is not None:
                claims.append((match.group(), *_count_range(value, hedge)))
    return claims


def _count_range(value: float, hedge: str) -> tuple[int, float]:
    number = int(value)
    hedge = hedge.lower()
    if hedge in ("more than", "over"):
        return number + 1, math.inf
    if hedge == "at least":
        return number, math.inf
    if hedge in ("nearly", "almost"):
        return math.floor(number * 0.8), number
    if hedge in ("about", "around", "some"):
        return math.floor(number * 0.8), math.ceil(number * 1.2)
    if hedge == "fewer than":
        return 0, number - 1
    return number, number


def departures_between(
    record: Record, organization_id: int, first: datetime.date, last: datetime.date
) -> tuple[int, int]:
    """(certain, possible) departures from the organization between two days, both included:
    possible when a month or a year straddles the window's edge."""
    return count_within(
        (d.effective for d in record.departures if d.organization_id == organization_id),
        first,
        last,
    )


def _check_count(sentence, record, context, organizations) -> list[ClaimFlag]:
    claims = _count_claims(sentence)
    if not claims or not organizations:
        return []
    window = _window(sentence, context.day)
    if window is None:
        return []
    first, last, _written = window
    organization_id = organizations[0]
    certain, possible = departures_between(record, organization_id, first, last)
    low, high = certain, certain + possible
    flags = []
    for claim, claim_low, claim_high in claims:
        if claim_low <= high and low <= claim_high:
            continue
        on_record = (
            str(low)
            if low == high
            else _("between %(low)d and %(high)d")
            % {
                "low": low,
                "high": high,
            }
        )
        flags.append(
            ClaimFlag(
                "count",
                sentence,
                claim,
                _(
                    "“%(claim)s”: the record has %(count)s departures from %(organization)s "
                    "between %(first)s and %(last)s (a range when dates known only to the month "
                    "or year straddle the window's edge). The record may be incomplete: check "
                    "the number against the sources."
                )
                % {
                    "claim": claim,
                    "count": on_record,
                    "organization": record.organization_name(organization_id),
                    "first": PartialDate.from_day(first).display(),
                    "last": PartialDate.from_day(last).display(),
                },
            )
        )
    return flags


# Titles ---------------------------------------------------------------------------------------

# Japanese titles as their English acronyms, so "最高情報責任者" is compared as CIO.
JAPANESE_TITLES = {
    "最高経営責任者": "ceo",
    "最高技術責任者": "cto",
    "最高情報責任者": "cio",
    "最高情報セキュリティ責任者": "ciso",
    "最高研究責任者": "cro",
    "最高製品責任者": "cpo",
    "最高戦略責任者": "cso",
    "最高財務責任者": "cfo",
    "最高執行責任者": "coo",
    "最高科学責任者": "cs",
    "チーフサイエンティスト": "cs",
    "社長": "president",
}
_TITLE = (
    r"(?P<title>(?<![A-Za-z])C[A-Z]{1,3}O(?![A-Za-z])|"
    r"\b[Cc]hief (?:[A-Za-z]+ ){0,3}?(?:[Oo]fficer|[Ss]cientist)\b|"
    r"\b(?:[Ss]enior )?(?:[Vv]ice [Pp]resident|VP|SVP) of [A-Z][a-z]+\b|\b[Pp]resident\b|"
    + "|".join(sorted(JAPANESE_TITLES, key=len, reverse=True))
    + r")"
)
_TITLE_BEFORE = re.compile(_TITLE + r"(?:\s+of\s+[A-Z]\w+)?\s*(?:の|、)?\s*$")
_TITLE_AFTER = re.compile(r"^\s*(?:氏)?\s*[,、]\s*(?:(?:the|its|[A-Z]\w*'s)\s+)?" + _TITLE)
_NAMING = re.compile(r"\b(?:named|appointed|made|making|called|promoted)\s+$", re.IGNORECASE)
_TITLE_NAMED = re.compile(r"^\s+(?:as\s+)?(?:(?:the|its|[A-Z]\w*'s)\s+)?" + _TITLE)
# In Japanese a title may follow the name directly ("マット・ナイト最高情報責任者").
_TITLE_AFTER_JA = re.compile(
    r"^\s*(?:氏)?\s*[、,]?\s*(?:\w{1,10}の)?(?P<title>"
    + "|".join(sorted(JAPANESE_TITLES, key=len, reverse=True))
    + r")"
)


def title_key(title: str) -> str:
    folded = fold(title).strip()
    for japanese, key in JAPANESE_TITLES.items():
        if fold(japanese) == folded:
            return key
    return acronym(title)


def _check_title(sentence, record, context, person_id, start, end) -> list[ClaimFlag]:
    folded = fold(sentence)
    # Offsets of the folded text match the sentence's (NFKC already applied; folding keeps
    # lengths for the scripts read here), so the title is read from the sentence itself.
    source = sentence if len(sentence) == len(folded) else folded
    before = _TITLE_BEFORE.search(source[max(0, start - 60) : start])
    after = _TITLE_AFTER.search(source[end : end + 80]) or _TITLE_AFTER_JA.search(
        source[end : end + 40]
    )
    if after is None and _NAMING.search(source[max(0, start - 20) : start]):
        # "named Matt Knight chief information officer"
        after = _TITLE_NAMED.search(source[end : end + 80])
    claimed = [match["title"] for match in (before, after) if match]
    if not claimed:
        return []
    held = [
        span
        for span in record.spans
        if span.person_id == person_id and span.possibly_held_on(context.day)
    ]
    if not held:
        return []
    keys = {title_key(span.title) for span in held} | {fold(span.title) for span in held}
    flags = []
    for claim in claimed:
        if title_key(claim) in keys or fold(claim) in keys:
            continue
        flags.append(
            ClaimFlag(
                "title",
                sentence,
                claim,
                _(
                    "“%(claim)s”: on %(day)s the record has %(person)s as %(held)s, not as "
                    "“%(claim)s”."
                )
                % {
                    "claim": claim,
                    "day": PartialDate.from_day(context.day).display(),
                    "person": record.name(person_id),
                    "held": _(" and ").join(
                        f"{span.title} ({record.organization_name(span.organization_id)})"
                        for span in held
                    ),
                },
            )
        )
    return flags
