"""The CSV import of moves (exchange/imports.py): all or nothing, what is written,
idempotence, verification, queries, concurrency."""

import random
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from bench.csvs import career_rows, moves_csv
from exchange.csv_format import moves_parse
from exchange.imports import import_verifier, moves_import
from exchange.tests.support import ZOPH, errors, row, run, written
from people.models import OrganizationName, Person, PersonName, Post, Rank, RoleChange, Tenure
from people.tenures import rebuild_tenures
from people.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PersonNameFactory,
    editor,
    journalist,
    record,
)
from stories.canonical import canonical_url
from stories.models import Citation, CitationDecision, CitationState, Source, Statement

pytestmark = pytest.mark.django_db


# All or nothing ---------------------------------------------------------------------------


def test_one_wrong_row_imports_nothing_at_all():
    rows = [row(person=f"Person {number}", change="joined", date="2020") for number in range(5)]
    rows.append(row(date="2024-02-30"))
    result = run(moves_csv(rows))
    assert not result.ok
    assert set(written().values()) == {0}


def test_a_tenure_conflict_refuses_the_file_and_names_the_lines():
    rows = [
        row(person="Alice Example", change="joined", title="CTO", date="2019"),
        row(person="Bob Example", change="joined", title="CTO", date="2019"),
        row(person="Alice Example", change="joined", title="CTO", date="2020"),
    ]
    found = errors(moves_csv(rows))
    assert found == [
        "moves.csv:4: Alice Example already holds CTO at OpenAI since 2019, so they cannot "
        "start it again on 2020. Record the end of that tenure first, or correct the date."
    ]
    assert set(written().values()) == {0}


def test_a_conflict_with_a_move_already_on_record_is_reported_on_the_file_s_line():
    mira = PersonFactory(name="Mira Murati")
    record(mira, OrganizationFactory(name="OpenAI"), "joined", "Chief Technology Officer", "2022")
    before = written()
    rows = [
        row(person="Barret Zoph", change="joined", date="2018"),
        row(person="Mira Murati", change="joined", title="Chief Technology Officer", date="2018"),
    ]
    found = errors(moves_csv(rows))
    assert found == [
        "moves.csv:3: Mira Murati already holds Chief Technology Officer at OpenAI since 2018, "
        "so they cannot start it again on 2022. Record the end of that tenure first, or "
        "correct the date."
    ]
    assert written() == before


def test_a_dry_run_checks_everything_and_writes_nothing():
    result = run(moves_csv([row(change="joined", date="2022"), row()]), dry_run=True)
    assert result.ok
    assert result.moves_created == 2
    assert result.people_created == 1
    assert result.outcomes == {2: "new move", 3: "new move"}
    assert set(written().values()) == {0}


def test_a_dry_run_finds_tenure_conflicts_too():
    rows = [row(change="joined", date="2022"), row(change="joined", date="2023")]
    result = run(moves_csv(rows), dry_run=True)
    assert [error.line for error in result.errors] == [3]


# What is written ----------------------------------------------------------------------------


def test_an_import_records_moves_tenures_sources_quotes_and_citations():
    rows = [
        row(date="2022", change="joined", title="Researcher", source_url=ZOPH + "?a=1"),
        row(
            date="2023-05",
            change="promoted",
            title="VP of Research, Post-Training",
            previous_title="researcher",
            quote="Barret now leads post-training.",
            speaker="Sam Altman",
            announced="2023-04",
        ),
        row(quote="I have decided to leave OpenAI.", speaker="Barret Zoph"),
    ]
    result = run(moves_csv(rows))
    assert result.ok, result.errors
    barret = Person.objects.get(name="Barret Zoph")
    assert barret.slug == "barret-zoph"
    assert barret.sort_name == "Zoph, Barret"
    assert Person.objects.filter(name="Sam Altman").exists()  # a new speaker is a new person
    tenures = [
        (tenure.post.title, str(tenure.start), str(tenure.end))
        for tenure in Tenure.objects.desk().select_related("post").chronological()
    ]
    assert tenures == [
        ("Researcher", "2022", "2023-05"),
        ("VP of Research, Post-Training", "2023-05", "2024-09-25"),
    ]
    promotion = RoleChange.objects.get(kind="promoted")
    assert str(promotion.announced) == "2023-04"
    post = Post.objects.get(title="VP of Research, Post-Training")
    assert (post.rank, post.is_leadership) == (Rank.VP, True)
    assert not Post.objects.get(title="Researcher").is_leadership
    assert Source.objects.count() == 2  # the same document, with or without tracking
    assert Source.objects.filter(canonical_url=ZOPH).exists()
    quotes = dict(Statement.objects.values_list("quote", "speaker__name"))
    assert quotes == {
        "Barret now leads post-training.": "Sam Altman",
        "I have decided to leave OpenAI.": "Barret Zoph",
    }
    assert Citation.objects.count() == 3


def test_left_without_an_open_tenure_records_one_with_an_unknown_start():
    assert run(moves_csv([row()])).ok
    tenure = Tenure.objects.desk().get()
    assert tenure.start is None
    assert str(tenure.end) == "2024-09-25"


def test_held_records_a_post_on_a_date_without_inventing_its_start():
    """A row saying Jason Kwon was Chief Strategy Officer on the day opens a tenure whose
    start is unknown; one within an open tenure (Sam Altman, CEO since 2019) confirms it."""
    rows = [
        row(person="Jason Kwon", change="held", title="Chief Strategy Officer"),
        row(person="Sam Altman", date="2019", change="appointed", title="CEO"),
        row(person="Sam Altman", change="held", title="CEO"),
    ]
    result = run(moves_csv(rows))
    assert result.ok, [str(error) for error in result.errors]
    kwon = Tenure.objects.desk().get(person__name="Jason Kwon")
    assert (kwon.start, kwon.end, str(kwon.seen)) == (None, None, "2024-09-25")
    sam = Tenure.objects.desk().get(person__name="Sam Altman")
    assert (str(sam.start), sam.seen) == ("2019", None)
    assert RoleChange.objects.filter(kind="held").count() == 2
    # The same file again adds nothing.
    before = written()
    assert run(moves_csv(rows)).ok
    assert written() == before


def test_a_start_after_a_held_record_of_the_same_post_is_a_conflict_naming_the_lines():
    rows = [
        row(person="Jason Kwon", change="held", title="Chief Strategy Officer"),
        row(
            person="Jason Kwon", date="2025-01", change="appointed", title="Chief Strategy Officer"
        ),
    ]
    found = errors(moves_csv(rows))
    assert len(found) == 1 and found[0].startswith("moves.csv:3: "), found
    assert "already holds Chief Strategy Officer" in found[0]
    assert written()["RoleChange"] == 0


def test_rows_are_applied_in_date_order_whatever_the_file_order():
    rows = [
        row(date="2024-09-25"),
        row(date="2023", change="promoted", previous_title="Researcher"),
        row(date="2021-03", change="joined", title="Researcher"),
    ]
    assert run(moves_csv(rows)).ok
    assert Tenure.objects.desk().filter(start_date__isnull=True).count() == 0
    assert Tenure.objects.desk().count() == 2


def test_the_result_does_not_depend_on_the_row_order():
    rows = career_rows(60, organizations=4)
    shuffled = rows[:]
    random.Random(5).shuffle(shuffled)

    def snapshot():
        return sorted(
            (t.scope, t.person.name, t.post.title, str(t.start), str(t.end))
            for t in Tenure.objects.select_related("person", "post")
        ), sorted(Person.objects.values_list("name", "slug"))

    assert run(moves_csv(rows)).ok
    first = snapshot()
    RoleChange.objects.all().delete()
    Tenure.objects.all().delete()
    Citation.objects.all().delete()
    Statement.objects.all().delete()
    Source.objects.all().delete()
    Person.objects.all().delete()
    assert run(moves_csv(shuffled)).ok
    assert snapshot() == first


def test_names_match_display_names_and_other_names_in_any_script_ignoring_case():
    mira = PersonFactory(name="Mira Murati")
    PersonNameFactory(person=mira, name="ミラ・ムラティ", language="ja")
    openai = OrganizationFactory(name="OpenAI")
    rows = [
        row(
            person="ミラ・ムラティ",
            organization="openai",
            change="joined",
            title="CTO",
            date="2022",
        ),
        row(person="MIRA MURATI", organization="OPENAI", title="CTO"),
    ]
    assert run(moves_csv(rows)).ok
    assert Person.objects.count() == 1
    assert set(RoleChange.objects.values_list("person", "organization")) == {(mira.pk, openai.pk)}


def test_names_in_another_case_beyond_ascii_are_the_names_on_record():
    """On SQLite too, whose LOWER() leaves "И" and "É" as they are."""
    ivan = PersonFactory(name="ИВАН ПЕТРОВ")
    emile = PersonFactory(name="Émile Dupont")
    PersonNameFactory(person=emile, name="ÉMILE D.", language="fr")
    yandex = OrganizationFactory(name="Yandex")
    OrganizationName.objects.create(organization=yandex, name="ЯНДЕКС", language="ru")
    rows = [
        row(person="иван петров", organization="яндекс", title="CTO"),
        row(person="émile d.", organization="Яндекс", title="CEO"),
    ]
    assert run(moves_csv(rows)).ok
    assert Person.objects.count() == 2
    assert set(RoleChange.objects.values_list("person", "organization")) == {
        (ivan.pk, yandex.pk),
        (emile.pk, yandex.pk),
    }


def test_a_name_several_people_go_by_is_refused():
    for name in ("Dario Amodei", "Daniela Amodei"):
        PersonNameFactory(person=PersonFactory(name=name), name="アモデイ")
    assert errors(moves_csv([row(person="アモデイ")])) == [
        "moves.csv:2: person: “アモデイ” could be any of several people (Dario Amodei, "
        "Daniela Amodei); write the display name of the one you mean."
    ]


def test_an_ambiguous_name_is_reported_with_the_other_wrong_rows():
    """Every wrong row in one run: a name several people go by is found even when another
    row of the file is wrong in itself (a bad date), and nothing is written."""
    for name in ("Dario Amodei", "Daniela Amodei"):
        PersonNameFactory(person=PersonFactory(name=name), name="アモデイ")
    before = written()
    rows = [row(date="2024-13"), row(person="アモデイ", date="2024-09-26"), row(date="bad")]
    assert [message.split(": ", 2)[:2] for message in errors(moves_csv(rows))] == [
        ["moves.csv:2", "date"],
        ["moves.csv:3", "person"],
        ["moves.csv:4", "date"],
    ]
    assert written() == before


def test_a_display_name_wins_over_someone_else_s_other_name():
    daniela = PersonFactory(name="Daniela Amodei")
    PersonNameFactory(person=PersonFactory(name="Dario Amodei"), name="Daniela Amodei")
    assert run(moves_csv([row(person="daniela amodei")])).ok
    assert RoleChange.objects.get().person_id == daniela.pk


def test_new_people_get_unique_slugs_and_one_spelling():
    PersonFactory(name="Mark Chen")
    rows = [
        row(person="Mark  Chen", organization="Other Co", change="joined"),
        row(person="Łukasz Kaiser", change="joined"),
        row(person="ŁUKASZ KAISER", date="2025"),
    ]
    assert run(moves_csv(rows)).ok
    assert Person.objects.count() == 2  # "Mark  Chen" is Mark Chen
    assert Person.objects.get(name="Łukasz Kaiser").slug == "lukasz-kaiser"
    assert not PersonName.objects.exists()


# Idempotence ------------------------------------------------------------------------------


def test_importing_the_same_file_twice_adds_nothing():
    text = moves_csv(career_rows(30, organizations=3))
    assert run(text).ok
    before = written()
    again = run(text)
    assert again.ok
    assert written() == before
    assert again.moves_created == 0
    assert again.moves_on_record == 30
    assert set(again.outcomes.values()) == {"already on record with this citation"}


def test_importing_again_leaves_the_tenures_as_they_are():
    """Nothing that tenures depend on changed, so nothing is rewritten: the same tenure
    rows, not new copies; verifying the moves later still rebuilds the public ones."""
    rows = career_rows(30, organizations=3)
    assert run(moves_csv(rows)).ok
    before = sorted(Tenure.objects.values_list("pk", flat=True))
    assert run(moves_csv(rows)).ok
    new_source = [{**rows[0], "source_url": "https://example.com/another-source"}]
    assert run(moves_csv(new_source)).citations_created == 1
    assert sorted(Tenure.objects.values_list("pk", flat=True)) == before
    assert not Tenure.objects.public().exists()
    assert run(moves_csv(rows), verified_by=editor(username="chief")).ok
    assert Tenure.objects.public().count() == Tenure.objects.desk().count() == len(before)


def test_a_new_source_for_a_move_on_record_adds_a_citation():
    assert run(moves_csv([row()])).ok
    result = run(moves_csv([row(source_url="https://openai.com/news/leadership")]))
    assert result.ok
    assert (result.moves_created, result.citations_created) == (0, 1)
    assert result.outcomes == {2: "already on record; adds a citation"}
    assert RoleChange.objects.count() == 1
    assert Citation.objects.count() == 2


def test_the_same_move_twice_in_one_file_is_one_move_with_two_citations():
    rows = [row(), row(source_url="https://openai.com/news/leadership")]
    result = run(moves_csv(rows))
    assert result.outcomes == {2: "new move", 3: "same move as line 2"}
    assert RoleChange.objects.count() == 1
    assert Citation.objects.count() == 2


def test_a_move_recorded_on_the_desk_is_the_same_move():
    barret = PersonFactory(name="Barret Zoph")
    move = record(
        barret,
        OrganizationFactory(name="OpenAI"),
        "left",
        "VP of Research, Post-Training",
        "2024-09-25",
        public=False,
    )
    assert run(moves_csv([row()])).ok
    assert list(RoleChange.objects.values_list("pk", flat=True)) == [move.pk]
    assert Citation.objects.get().role_change_id == move.pk


def test_a_quote_already_on_the_desk_is_reused_and_a_quote_twice_in_a_file_is_one_statement():
    """The same words from the same speaker in one source are one statement, whoever recorded
    it first: the desk (with or without a speaker) or another line of the file."""
    from stories.services import source_get_or_create, statement_get_or_create

    barret = PersonFactory(name="Barret Zoph")
    source, _ = source_get_or_create(url=ZOPH)
    on_desk = {
        speaker: statement_get_or_create(
            source=source, quote="I have decided to leave OpenAI.", speaker=speaker
        ).pk
        for speaker in (barret, None)
    }
    quote = {"quote": "I have decided to leave OpenAI."}
    rows = [
        row(**quote, speaker="Barret Zoph"),
        row(**quote, change="joined", date="2018", title="Researcher", speaker="Barret Zoph"),
        row(**quote, change="promoted", date="2023", title="VP", previous_title="Researcher"),
        row(quote="A new quote, twice.", change="held", date="2022", title="Researcher"),
        row(quote="A new quote, twice.", change="held", date="2021", title="Researcher"),
    ]
    result = run(moves_csv(rows))
    assert result.ok, result.errors
    assert result.statements_created == 1
    assert Statement.objects.count() == 3
    cited = dict(Citation.objects.values_list("role_change__effective_date__year", "statement_id"))
    assert (cited[2024], cited[2018], cited[2023]) == (
        on_desk[barret],
        on_desk[barret],
        on_desk[None],
    )
    assert cited[2022] == cited[2021] == Statement.objects.get(quote="A new quote, twice.").pk


# Verified and pending imports ---------------------------------------------------------------


def test_without_an_editor_everything_imported_stays_pending_and_private():
    result = run(moves_csv([row(change="joined", date="2021"), row()]))
    assert result.ok
    assert not RoleChange.objects.public().exists()
    assert not Tenure.objects.public().exists()
    assert Tenure.objects.desk().count() == 1
    assert set(Citation.objects.values_list("state", flat=True)) == {CitationState.PENDING}
    notes = sorted(CitationDecision.objects.values_list("from_state", "to_state", "note"))
    assert notes == [
        ("", "pending", "Imported from moves.csv (line 2); waiting for an editor's check."),
        ("", "pending", "Imported from moves.csv (line 3); waiting for an editor's check."),
    ]


def test_an_editor_s_name_verifies_each_citation_and_publishes_the_moves():
    checker = editor(username="desk-chief")
    result = run(moves_csv([row(change="joined", date="2021"), row()]), verified_by=checker)
    assert result.ok
    assert result.citations_verified == 2
    assert RoleChange.objects.public().count() == 2
    assert Tenure.objects.public().count() == 1
    citation = Citation.objects.select_related("decided_by").first()
    assert citation.state == CitationState.VERIFIED
    assert citation.decided_by == checker
    decision = CitationDecision.objects.select_related("actor").filter(citation=citation).get()
    assert decision.actor == checker
    assert decision.to_state == CitationState.VERIFIED
    assert decision.note == "Imported from moves.csv (line 2), verified by editor desk-chief."


def test_importing_again_with_an_editor_verifies_what_is_still_pending():
    text = moves_csv([row()])
    assert run(text).ok
    result = run(text, verified_by=editor(username="chief"))
    assert result.ok
    assert (result.citations_created, result.citations_verified) == (0, 1)
    assert result.moves_made_public == 1
    assert RoleChange.objects.get().is_public
    assert Tenure.objects.public().count() == 1
    history = list(
        CitationDecision.objects.order_by("pk").values_list("from_state", "to_state", "note")
    )
    assert history[-1] == (
        "pending",
        "verified",
        "Imported from moves.csv, verified by editor chief.",
    )


def test_a_rejected_citation_is_not_verified_again_by_an_import():
    assert run(moves_csv([row()])).ok
    Citation.objects.update(state=CitationState.REJECTED)
    result = run(moves_csv([row()]), verified_by=editor())
    assert result.citations_verified == 0
    assert not RoleChange.objects.get().is_public


def test_only_an_editor_may_verify_an_import():
    journalist(username="reporter")
    with pytest.raises(Exception, match="not in the Editors group"):
        import_verifier("reporter")
    with pytest.raises(Exception, match="There is no user “ghost”"):
        import_verifier("ghost")
    assert import_verifier(editor(username="chief").username).username == "chief"


# Queries ----------------------------------------------------------------------------------


def count_queries(rows, **options) -> int:
    text = moves_csv(rows)
    with CaptureQueriesContext(connection) as queries:
        result = run(text, **options)
    assert result.ok, result.errors
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows():
    chief = editor()
    small = count_queries(career_rows(10, prefix="A "), verified_by=chief)
    large = count_queries(career_rows(100, prefix="B "), verified_by=chief)
    assert small == large
    again = count_queries(career_rows(100, prefix="B "), verified_by=chief)
    assert again <= large


# Concurrency --------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_overlapping_files_at_once_create_everything_once():
    rows = career_rows(40, organizations=3)
    files = [moves_csv(rows[:30]), moves_csv(rows[10:])]
    start = threading.Barrier(2)
    results = []

    def import_file(text):
        start.wait()
        try:
            results.append(run(text))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=import_file, args=(text,)) for text in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result.ok for result in results), [result.errors for result in results]
    assert RoleChange.objects.count() == 40
    assert Person.objects.count() == len({row["person"] for row in rows})
    assert Source.objects.count() == len({canonical_url(row["source_url"]) for row in rows})
    assert Citation.objects.count() == 40
    # Replaying afterwards from the records gives the tenures the imports wrote.
    before = sorted(Tenure.objects.values_list("scope", "person", "post", "start_date", "end_date"))
    for person_id, organization_id in set(
        RoleChange.objects.values_list("person_id", "organization_id")
    ):
        rebuild_tenures(person_id=person_id, organization_id=organization_id)
    after = sorted(Tenure.objects.values_list("scope", "person", "post", "start_date", "end_date"))
    assert after == before


def test_the_sample_file_in_the_readme_imports_cleanly():
    path = settings.BASE_DIR / "docs" / "sample-moves.csv"
    result = moves_import(parsed=moves_parse(path.read_bytes(), filename=path.name))
    assert result.ok, [str(error) for error in result.errors]
    assert result.moves_created == 7
    assert Source.objects.count() == 2  # the X post, pasted with its tracking parameters
