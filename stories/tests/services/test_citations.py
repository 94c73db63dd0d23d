"""Sources, quotes and citations through stories/services/citations.py: rule 7 (one source
per document), rule 5 (an edit of checked material waits for an editor, never reopening it:
the decision is in test_edits.py), recording a move with its citation, one statement per
quote."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.urls import reverse

from newsroom.dates import PartialDate
from newsroom.models import ProposedEdit
from people.models import RoleChange
from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.models import QUOTE_MAX_LENGTH, Citation, CitationState, Source, Statement
from stories.services import (
    citation_add,
    citation_decide,
    citation_record,
    move_record_with_citation,
    proposed_edit_decide,
    source_get_or_create,
    source_update,
    statement_get_or_create,
    statement_update,
)
from stories.tests.factories import SourceFactory, StatementFactory, pending_citation

pytestmark = pytest.mark.django_db

ZOPH = "https://x.com/barret_zoph/status/1839095143397515452"


# Rule 7: one source per document ----------------------------------------------------------


def test_the_same_document_entered_twice_is_one_source():
    first, created = source_get_or_create(url=ZOPH + "?s=46&t=iTysI4vQLQqCNJjSmBODPw")
    again, created_again = source_get_or_create(
        url="https://twitter.com/barret_zoph/status/1839095143397515452#x"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert first.canonical_url == ZOPH
    assert first.url_as_entered.endswith("t=iTysI4vQLQqCNJjSmBODPw")
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://x.com/sama/status/183...", "cut short"),
        ("https://x.com/bobmcgrewai/sta…", "cut short"),
        ("javascript:alert(1)", "http"),
        ("ftp://example.com/file", "http"),
        ("https://user:secret@example.com/", "password"),
    ],
)
def test_unusable_links_are_refused_with_a_message(url, message):
    with pytest.raises(ValidationError) as refused:
        source_get_or_create(url=url)
    assert message in " ".join(refused.value.message_dict["source_url"]).lower()
    assert not Source.objects.exists()


def test_reusing_a_source_fills_blanks_but_never_overwrites():
    source, _ = source_get_or_create(url=ZOPH, title="Barret Zoph on X")
    source_get_or_create(url=ZOPH, title="Something else", publisher="X")
    source.refresh_from_db()
    assert source.title == "Barret Zoph on X"
    assert source.publisher == "X"


def test_reusing_a_source_with_a_verified_citation_changes_nothing_on_it():
    """Rule 5: what an editor checked is never edited in passing, not even a blank field."""
    source, _ = source_get_or_create(url=ZOPH, title="Barret Zoph on X")
    move = pending_citation().role_change
    citation = citation_add(role_change=move, source=source)
    citation_decide(citation=citation, editor=editor(), decision="verified")
    before = Source.objects.values().get(pk=source.pk)

    again, created = source_get_or_create(
        url=ZOPH,
        title="Something else",
        publisher="X",
        kind="memo",
        published=PartialDate.parse("2024-09-25"),
        language="en",
        archive_url="https://web.archive.org/web/2024/" + ZOPH,
    )

    assert (again.pk, created) == (source.pk, False)
    assert Source.objects.values().get(pk=source.pk) == before
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED


# Rule 5: verification is never silently undone --------------------------------------------


def test_editing_a_verified_quote_waits_for_an_editor_and_keeps_the_citation_verified():
    chief = editor()
    citation = pending_citation(quote="I am leaving OpenAI.")
    citation_decide(citation=citation, editor=chief, decision="verified")
    statement = Statement.objects.get(pk=citation.statement_id)
    history = citation.decisions.count()

    statement_update(statement=statement, editor=chief, quote="I am leaving OpenAI。")

    citation.refresh_from_db()
    assert citation.state == CitationState.VERIFIED
    assert citation.decisions.count() == history
    assert Statement.objects.get(pk=statement.pk).quote == "I am leaving OpenAI."
    assert RoleChange.objects.get(pk=citation.role_change_id).is_public
    [edit] = ProposedEdit.objects.pending().of(statement)
    assert edit.changes == [
        {"field": "quote", "before": "I am leaving OpenAI.", "after": "I am leaving OpenAI。"}
    ]


def test_editing_a_verified_source_waits_for_an_editor():
    chief = editor()
    citation = pending_citation()
    citation_decide(citation=citation, editor=chief, decision="verified")
    source = Source.objects.get(pk=citation.source_id)
    title = source.title

    source_update(source=source, editor=chief, title="Corrected title")

    assert Source.objects.get(pk=source.pk).title == title
    assert Citation.objects.get(pk=citation.pk).state == CitationState.VERIFIED
    [edit] = ProposedEdit.objects.pending().of(source)
    assert edit.fields == ["title"]


def test_material_nobody_verified_yet_is_edited_at_once():
    citation = pending_citation(quote="First words.")
    statement = Statement.objects.get(pk=citation.statement_id)
    source = Source.objects.get(pk=citation.source_id)

    statement_update(statement=statement, editor=journalist(), quote="Better words.")
    source_update(source=source, editor=journalist(), title="Better title")

    assert Statement.objects.get(pk=statement.pk).quote == "Better words."
    assert Source.objects.get(pk=source.pk).title == "Better title"
    assert not ProposedEdit.objects.exists()
    assert Citation.objects.get(pk=citation.pk).state == CitationState.PENDING


def test_a_quote_over_the_length_limit_is_refused_with_a_clear_message():
    citation = pending_citation()
    statement = Statement.objects.get(pk=citation.statement_id)
    with pytest.raises(ValidationError) as refused:
        statement_update(statement=statement, editor=editor(), quote="word " * 2500)
    [message] = refused.value.message_dict["quote"]
    assert message.startswith(f"A quote is at most {QUOTE_MAX_LENGTH} characters long")
    assert "this one has 12499" in message
    with pytest.raises(ValidationError, match="A quote is at most"):
        citation_record(
            role_change=citation.role_change, source_url=ZOPH, quote="x" * (QUOTE_MAX_LENGTH + 1)
        )


def test_an_edit_that_changes_nothing_keeps_the_verification():
    chief = editor()
    citation = pending_citation()
    citation_decide(citation=citation, editor=chief, decision="verified")
    statement = Statement.objects.get(pk=citation.statement_id)
    statement_update(statement=statement, editor=chief, quote=statement.quote)
    citation.refresh_from_db()
    assert citation.state == CitationState.VERIFIED


def test_a_source_cannot_take_another_sources_address():
    taken = SourceFactory(canonical_url=ZOPH)
    other = SourceFactory()
    with pytest.raises(ValidationError, match="Another source already has this address"):
        source_update(source=other, editor=editor(), url=ZOPH + "?s=20")
    other.refresh_from_db()
    assert other.canonical_url != taken.canonical_url


# Recording a move with its citation --------------------------------------------------------


def move_arguments(**overrides):
    arguments = {
        "person": PersonFactory(name="Barret Zoph"),
        "organization": OrganizationFactory(name="OpenAI"),
        "title": "VP of Research, Post-Training",
        "kind": "left",
        "effective": PartialDate.parse("2024-09-25"),
        "source_url": ZOPH + "?s=46&t=iTysI4vQLQqCNJjSmBODPw",
        "quote": "I have decided to leave OpenAI.",
    }
    arguments.update(overrides)
    return arguments


def test_a_move_is_recorded_with_its_quote_and_source_pending():
    result = move_record_with_citation(**move_arguments())
    assert result.role_change_created
    assert result.citation.state == CitationState.PENDING
    assert result.citation.source.canonical_url == ZOPH
    assert result.citation.statement.quote == "I have decided to leave OpenAI."
    assert not result.role_change.is_public


def test_the_same_move_again_gets_another_citation_not_a_duplicate():
    arguments = move_arguments()
    move_record_with_citation(**arguments)
    again = move_record_with_citation(
        **{**arguments, "source_url": "https://example.com/report", "quote": ""}
    )
    assert not again.role_change_created
    assert RoleChange.objects.count() == 1
    assert Citation.objects.count() == 2


def test_the_same_move_with_its_title_in_another_case_gets_another_citation():
    arguments = move_arguments(title="Directeur général adjoint", kind="appointed")
    first = move_record_with_citation(**arguments)
    again = move_record_with_citation(
        **{
            **arguments,
            "title": "DIRECTEUR GÉNÉRAL ADJOINT",
            "source_url": "https://example.com/report",
            "quote": "",
        }
    )
    assert not again.role_change_created
    assert again.role_change.pk == first.role_change.pk
    assert Citation.objects.count() == 2


def test_every_error_is_reported_and_nothing_is_saved():
    person = PersonFactory(name="Mira Murati")
    organization = OrganizationFactory(name="OpenAI")
    record(person, organization, "appointed", "CTO", "2022-05")
    with pytest.raises(ValidationError) as refused:
        move_record_with_citation(
            **move_arguments(
                person=person,
                organization=organization,
                title="CTO",
                kind="appointed",
                effective=PartialDate.parse("2024-01"),
                source_url="https://x.com/sama/status/183...",
            )
        )
    errors = refused.value.message_dict
    assert "already holds CTO" in " ".join(errors["effective"])
    assert "cut short" in " ".join(errors["source_url"])
    assert RoleChange.objects.count() == 1
    assert not Source.objects.exists() and not Citation.objects.exists()


def test_a_quote_cannot_be_cited_twice_for_the_same_move():
    arguments = move_arguments()
    move_record_with_citation(**arguments)
    with pytest.raises(ValidationError, match="already cites this quote"):
        move_record_with_citation(**arguments)
    assert Citation.objects.count() == 1


def test_a_statement_must_come_from_the_cited_source():
    citation = pending_citation()
    with pytest.raises(ValidationError, match="must come from the cited source"):
        citation_add(
            role_change=citation.role_change,
            source=SourceFactory(),
            statement=StatementFactory(),
        )


# One statement per quote: the same words from the same speaker in the same source -----------


def test_the_same_words_from_the_same_speaker_are_one_statement_and_the_database_says_so():
    source, speaker = SourceFactory(), PersonFactory()
    # At the length limit, and in three-byte characters: about 6,000 bytes, more than a
    # PostgreSQL index entry holds (the unique index is on the quote's hash).
    long_words = ("私たちはこの会社の未来を一緒に築いています。" * 100)[:QUOTE_MAX_LENGTH]
    for quote, who in [
        ("We are delighted.", speaker),
        ("We are delighted.", None),
        (long_words, None),
    ]:
        first = statement_get_or_create(source=source, quote=quote, speaker=who)
        assert statement_get_or_create(source=source, quote=f" {quote} ", speaker=who) == first
        with pytest.raises(IntegrityError), transaction.atomic():
            Statement.objects.create(source=source, quote=quote.strip(), speaker=who)
    assert Statement.objects.count() == 3
    StatementFactory(source=SourceFactory(), quote="We are delighted.", speaker=speaker)
    StatementFactory(source=source, quote="We are delighted.", speaker=PersonFactory())
    assert Statement.objects.count() == 5


def other_writer_records_it_first(monkeypatch, **statement) -> list[Statement]:
    """The next statement look-up finds nothing, and someone else records ``statement`` just
    then: it commits between the look-up and the insert, as in a race."""
    first = QuerySet.first
    recorded: list[Statement] = []

    def first_after_the_other_writer(queryset):
        if queryset.model is Statement and not recorded:
            recorded.append(StatementFactory(**statement))
            return None
        return first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_after_the_other_writer)
    return recorded


@pytest.mark.parametrize("named", [True, False], ids=["speaker", "no-speaker"])
def test_a_quote_recorded_by_someone_else_meanwhile_is_theirs_not_a_copy(monkeypatch, named):
    source = SourceFactory()
    speaker = PersonFactory() if named else None
    quote = "I have decided to leave OpenAI."
    theirs = other_writer_records_it_first(monkeypatch, source=source, quote=quote, speaker=speaker)
    with transaction.atomic():  # the caller's transaction survives the refused insert
        mine = statement_get_or_create(
            source=source, quote=quote, speaker=speaker, created_by=journalist()
        )
        assert mine.pk == theirs[0].pk
        assert Statement.objects.count() == 1


def test_a_move_recorded_while_someone_records_its_quote_cites_their_statement(monkeypatch):
    arguments = move_arguments()
    source, _ = source_get_or_create(url=arguments["source_url"])
    theirs = other_writer_records_it_first(monkeypatch, source=source, quote=arguments["quote"])
    recorded = move_record_with_citation(**arguments)
    assert recorded.citation.statement_id == theirs[0].pk
    assert Statement.objects.count() == 1


def test_an_edit_that_would_copy_another_statement_is_refused_and_changes_nothing():
    chief = editor()
    citation = pending_citation(quote="Words as first recorded.")
    citation_decide(citation=citation, editor=chief, decision="verified")
    statement = Statement.objects.get(pk=citation.statement_id)
    source, speaker = Source.objects.get(pk=statement.source_id), PersonFactory(name="Barret Zoph")
    StatementFactory(source=source, quote="The exact words.")
    StatementFactory(source=source, quote="Words as first recorded.", speaker=speaker)

    with pytest.raises(ValidationError) as refused:
        statement_update(statement=statement, editor=chief, quote="  The exact words. ")
    assert list(refused.value.message_dict) == ["quote"]
    assert "already has a statement with these exact words with no speaker named" in str(
        refused.value
    )
    statement = Statement.objects.get(pk=statement.pk)
    with pytest.raises(ValidationError) as refused:
        statement_update(statement=statement, editor=chief, speaker=speaker)
    assert list(refused.value.message_dict) == ["speaker"]
    assert "these exact words from Barret Zoph" in str(refused.value)

    statement = Statement.objects.get(pk=statement.pk)
    assert (statement.quote, statement.speaker_id) == ("Words as first recorded.", None)
    citation.refresh_from_db()
    assert citation.state == CitationState.VERIFIED
    # The same words in another source, or from another speaker, are another statement.
    statement_update(statement=statement, editor=chief, speaker=PersonFactory())
    proposed_edit_decide(
        edit=ProposedEdit.objects.pending().of(statement).get(), editor=chief, decision="verified"
    )
    assert Statement.objects.filter(quote="Words as first recorded.").count() == 2


@pytest.mark.lazy_queries_allowed
def test_a_quoted_person_cannot_be_deleted_and_keeps_their_words(admin_client):
    """Deleting the speaker would leave words nobody said (and could make two statements
    of one): the admin refuses and says what stands in the way; nothing changes."""
    statement = StatementFactory(quote="Time for a break.")
    speaker = statement.speaker or PersonFactory(name="Bob McGrew")
    Statement.objects.filter(pk=statement.pk).update(speaker=speaker)
    url = reverse("admin:people_person_delete", args=[speaker.pk])
    page = admin_client.get(url).content.decode()
    assert "Cannot delete person" in page
    # Statements are read-only in the admin: the refusal names them.
    assert '<ul id="deleted-objects">\t<li>statement</li></ul>' in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Statement.objects.get(pk=statement.pk).speaker_id == speaker.pk
    with pytest.raises(ProtectedError):
        speaker.delete()
