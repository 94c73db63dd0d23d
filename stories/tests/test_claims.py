"""Claims in text (stories/claims.py) against the demo desk's record: the labelled set's
precision and recall, the six traps of the reference sheet, and the numbers read."""

import datetime

import pytest
from django.core.management import call_command

from people.models import Organization, Person
from stories.claims import Context, check_text, number_value
from stories.services.claims import claim_record
from stories.tests.claims_labelled import FALSE, LABELLED, NEUTRAL, TRUE

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 9, 25)


@pytest.fixture(scope="module")
def record(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        # Loaded once for the module, inside a transaction rolled back at the end.
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_desk", verbosity=0)
            people = {person.name: person.pk for person in Person.objects.all()}
            openai = Organization.objects.get(slug="openai").pk
            loaded = claim_record(
                person_ids=people.values(),
                organization_ids=Organization.objects.values_list("pk", flat=True),
            )
            yield loaded, people, openai
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def flags_of(record, text: str, speaker: str | None):
    loaded, people, openai = record
    context = Context(
        day=DAY, speaker_id=people[speaker] if speaker else None, organization_ids=(openai,)
    )
    return check_text(text, record=loaded, context=context)


def test_the_labelled_set_has_at_least_60_sentences_in_both_languages():
    assert len(LABELLED) >= 60
    assert {label for _text, _speaker, label, _kind in LABELLED} == {TRUE, FALSE, NEUTRAL}
    japanese = [text for text, *_rest in LABELLED if any("\u3040" <= c <= "\u9fff" for c in text)]
    assert len(japanese) >= 15


def test_precision_and_recall_on_the_labelled_set(record, capsys):
    flagged_false = flagged_other = missed = 0
    wrong = []
    for text, speaker, label, _kind in LABELLED:
        flagged = bool(flags_of(record, text, speaker))
        if label == FALSE and flagged:
            flagged_false += 1
        elif label == FALSE:
            missed += 1
            wrong.append(("missed", text))
        elif flagged:
            flagged_other += 1
            wrong.append(("flagged", text))
    precision = flagged_false / (flagged_false + flagged_other)
    recall = flagged_false / (flagged_false + missed)
    with capsys.disabled():
        print(
            f"\nClaim checks on {len(LABELLED)} labelled sentences: precision {precision:.2f}, "
            f"recall {recall:.2f} ({flagged_false} false claims flagged, {missed} missed, "
            f"{flagged_other} others flagged)"
        )
        for what, text in wrong:
            print(f"  {what}: {text}")
    assert precision >= 0.9, wrong
    assert recall >= 0.9, wrong


@pytest.mark.parametrize(
    "text, speaker, kind",
    [
        # The reference sheet's traps that live in text (the truncated links and the
        # tracking parameters are caught by the source checks; the names in several forms by
        # the checks at entry, stories/tests/test_entry_checks.py).
        ("The headline: 15 key people left OpenAI in six months.", None, "count"),
        ("By the outlet's incomplete count, more than 10 executives left OpenAI this year.",
         None, "count"),
        ("OpenAIのCIO、マシュー・ナイトが就任した。", None, "title"),
        ("Matt Knight, OpenAI's CIO, takes the post.", None, "title"),
        ("I am grateful for my 8 years at OpenAI.", "Bob McGrew", "duration"),
    ],
)  # fmt: skip
def test_the_reference_sheets_traps_are_flagged(record, text, speaker, kind):
    assert [flag.kind for flag in flags_of(record, text, speaker)] == [kind]


def test_a_duration_flag_gives_the_range_and_the_moves(record):
    (flag,) = flags_of(record, "I am grateful for my eight years at OpenAI.", "Bob McGrew")
    assert "between 7 years 8 months and 7 years 9 months" in flag.message
    assert "Member of Technical Staff January 2017 – 2018" in flag.message


def test_a_count_flag_says_the_record_may_be_incomplete(record):
    (flag,) = flags_of(record, "Fifteen executives left OpenAI in six months.", None)
    assert "the record has 6 departures from OpenAI" in flag.message
    assert "may be incomplete" in flag.message


def test_a_count_straddling_the_window_edge_is_a_range(record):
    """A window from May 20, 2024: Sutskever and Leike left in "May 2024"."""
    loaded, _people, openai = record
    context = Context(day=datetime.date(2025, 5, 20), organization_ids=(openai,))
    (flag,) = check_text(
        "Ten executives left OpenAI in the past year.", record=loaded, context=context
    )
    assert "between 4 and 6 departures" in flag.message
    assert not check_text(
        "Five executives left OpenAI in the past year.", record=loaded, context=context
    )


@pytest.mark.parametrize(
    "written, value",
    [("8", 8), ("eight", 8), ("a dozen", 12), ("八", 8), ("十五", 15), ("二十", 20), ("８", 8)],
)
def test_numbers_in_digits_words_and_kanji(written, value):
    assert number_value(written) == value
