"""Many people at once (PostgreSQL): one decision per citation, no lost text, no duplicates.

Each writer is a thread with its own database connection, released at the same moment by a
barrier, going through the same view or service a person on the desk would use.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from bench.csvs import career_rows, moves_csv
from exchange.csv_format import moves_parse
from exchange.imports import import_verifier, moves_import
from exchange.popolo import popolo_export, popolo_import
from people.models import Organization, Person, Post, RoleChange, Tenure
from people.tests.factories import editor, journalist
from stories.canonical import canonical_url
from stories.models import (
    Citation,
    CitationDecision,
    CitationState,
    Source,
    Statement,
    Story,
    StoryRevision,
)
from stories.services import citation_add, citation_decide, story_create
from stories.tests.factories import SourceFactory, StatementFactory, pending_citation

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

WRITERS = 8


def all_at_once[T](work: list[Callable[[], T]]) -> list[T]:
    """Run each callable in its own thread (own connection), all released together."""
    start = threading.Barrier(len(work))
    results: list[T | BaseException] = [None] * len(work)  # type: ignore[list-item]

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work[index]()
        except BaseException as error:  # reported below, in the test's thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        raise failures[0]
    return results  # type: ignore[return-value]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Verification -------------------------------------------------------------------------------


def test_many_editors_deciding_one_citation_at_once_record_one_decision():
    citation = pending_citation()
    editors = [editor(username=f"desk-{number}") for number in range(WRITERS)]
    choices = [("verified", ""), ("disputed", "Date unclear."), ("rejected", "Not in it.")]
    url = reverse("stories:citation-decide", args=[citation.pk])

    def decide(number: int) -> Callable[[], tuple[str, int, str]]:
        client = signed_in(editors[number])
        decision, note = choices[number % len(choices)]

        def post() -> tuple[str, int, str]:
            response = client.post(
                url,
                {"decision": decision, "note": note, "seen_state": "pending"},
                HTTP_HX_REQUEST="true",
            )
            return editors[number].username, response.status_code, response.content.decode()

        return post

    answers = all_at_once([decide(number) for number in range(WRITERS)])

    statuses = sorted(status for _, status, _ in answers)
    assert statuses == [200] + [409] * (WRITERS - 1)
    decisions = CitationDecision.objects.filter(citation=citation).exclude(from_state="")
    assert decisions.count() == 1
    decision = decisions.select_related("actor").get()
    (winner,) = [name for name, status, _ in answers if status == 200]
    assert decision.actor.username == winner
    citation = Citation.objects.select_related("decided_by").get(pk=citation.pk)
    assert (citation.state, citation.decided_by.username) == (decision.to_state, winner)
    told = f"{winner} already marked this citation {citation.get_state_display()}"
    for name, status, page in answers:
        if status == 409:
            assert told in html.unescape(page), f"{name} is not told who decided"

    role_change = RoleChange.objects.get(pk=citation.role_change_id)
    assert role_change.is_public == (citation.state == CitationState.VERIFIED)


# Stale saves of one story -------------------------------------------------------------------


VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def test_many_stale_saves_of_one_story_keep_every_text_and_one_revision_per_save():
    """Every writer saves from the same copy: one wins, the others get the conflict with their
    own text back and save again on top of it, until each text has been saved once."""
    chief = editor(username="chief")
    story = story_create(author=chief, title="Who runs the labs", body="First draft.")
    writers = [editor(username=f"writer-{number}") for number in range(WRITERS)]
    texts = {writer.username: f"Paragraph by {writer.username} <&> “quoted”." for writer in writers}
    url = reverse("stories:story-edit", args=[story.pk])
    clients = {writer.username: signed_in(writer) for writer in writers}
    base = dict.fromkeys(texts, story.version)
    waiting = set(texts)
    successes = 0

    def save(name: str) -> Callable[[], tuple[str, int, str]]:
        def post() -> tuple[str, int, str]:
            response = clients[name].post(
                url,
                {
                    "title": story.title,
                    "dek": "",
                    "language": story.language,
                    "body": texts[name],
                    "version": base[name],
                },
            )
            return name, response.status_code, response.content.decode()

        return post

    while waiting:
        answers = all_at_once([save(name) for name in sorted(waiting)])
        won = [name for name, status, _ in answers if status == 302]
        assert len(won) == 1, [status for _, status, _ in answers]
        successes += 1
        waiting.remove(won[0])
        saved = Story.objects.get(pk=story.pk)
        assert saved.body == texts[won[0]]
        for name, status, page in answers:
            if name in won:
                continue
            assert status == 409, (name, status)
            page = html.unescape(page)
            assert "Someone else saved first" in page
            assert f"{won[0]} saved this story" in page
            assert texts[name] in page, f"{name}'s text is not given back"
            # The conflict form is set to save on top of what is stored now.
            base[name] = int(VERSION_INPUT.search(page).group(1))
            assert base[name] == saved.version

    assert successes == WRITERS
    revisions = StoryRevision.objects.filter(story=story)
    assert revisions.count() == 1 + successes  # the draft's first revision, then each save
    saved_texts = set(revisions.values_list("body", flat=True))
    assert saved_texts == {"First draft.", *texts.values()}
    assert Story.objects.get(pk=story.pk).version == 1 + successes


# Imports ------------------------------------------------------------------------------------


def test_concurrent_imports_of_overlapping_files_create_each_person_organization_source_once():
    """CSV files (the command's and the desk's path) and a Popolo document, all at once,
    naming the same people, organizations and sources."""
    rows = career_rows(60, organizations=4, prefix="Lab ")
    chief = editor(username="import-editor")
    # The Popolo document names the same people: export them, then empty the desk.
    assert moves_import(
        parsed=moves_parse(moves_csv(rows).encode(), filename="seed.csv"),
        verified_by=import_verifier(chief.username),
    ).ok
    document = json.dumps(popolo_export())
    for model in (
        CitationDecision,
        Citation,
        Statement,
        Tenure,
        RoleChange,
        Source,
        Post,
        Person,
        Organization,
    ):
        model.objects.all().delete()
    assert Person.objects.count() == 0

    files = [rows[offset:] + rows[:offset] for offset in (0, 15, 30, 45)]
    files += [rows[10:50], rows[::-1]]

    def csv_import(number: int, part: list[dict]) -> Callable[[], object]:
        text = moves_csv(part).encode()
        return lambda: moves_import(
            parsed=moves_parse(text, filename=f"moves-{number}.csv"),
            verified_by=import_verifier(chief.username),
        )

    def popolo(number: int) -> Callable[[], object]:
        return lambda: popolo_import(
            data=document,
            filename=f"popolo-{number}.json",
            verified_by=import_verifier(chief.username),
        )

    work = [csv_import(number, part) for number, part in enumerate(files)]
    work += [popolo(number) for number in range(2)]
    results = all_at_once(work)

    assert all(result.ok for result in results), [
        [str(error) for error in result.errors] for result in results
    ]
    people = {row["person"] for row in rows}
    organizations = {row["organization"] for row in rows}
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(people)
    assert sorted(Organization.objects.values_list("name", flat=True)) == sorted(organizations)
    sources = {canonical_url(row["source_url"]) for row in rows}
    assert sorted(Source.objects.values_list("canonical_url", flat=True)) == sorted(sources)
    assert RoleChange.objects.count() == len(rows)


def test_two_editors_rejecting_a_moves_last_two_verified_citations_at_once_unconfirm_it(
    monkeypatch,
):
    """Rule 3 under a race: each editor's transaction has changed its own citation and not yet
    committed when both recompute the move's public flag. Each alone still sees the other's
    citation verified; the second must count again after the first commits, or the move
    stays public with no verified citation behind it."""
    from stories.services import verification as citation_services

    chief, deputy = editor(username="chief"), editor(username="deputy")
    first = pending_citation()
    second = citation_add(
        role_change=first.role_change,
        source=Source.objects.create(
            canonical_url="https://example.com/second", url_as_entered="https://example.com/second"
        ),
    )
    for citation in (first, second):
        citation_decide(citation=citation, editor=chief, decision="verified")
    assert RoleChange.objects.get(pk=first.role_change_id).is_public

    # Both decisions are written (not committed) before either recomputes the flag, and each
    # then waits (briefly) for the other to have counted too: without a lock both count the
    # other's citation as verified. With the lock the second editor cannot count before the
    # first commits, so the first gives up waiting and goes on.
    both_changed = threading.Barrier(2, timeout=10)
    both_counted = threading.Barrier(2, timeout=2)
    sync = citation_services.role_change_sync_public
    set_public = citation_services.role_change_set_public

    def sync_once_both_have_changed(**kwargs):
        both_changed.wait()
        return sync(**kwargs)

    def set_public_once_both_have_counted(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_counted.wait()
        return set_public(**kwargs)

    monkeypatch.setattr(citation_services, "role_change_sync_public", sync_once_both_have_changed)
    monkeypatch.setattr(
        citation_services, "role_change_set_public", set_public_once_both_have_counted
    )

    def reject(citation: Citation, by) -> Callable[[], Citation]:
        return lambda: citation_decide(
            citation=Citation.objects.get(pk=citation.pk),
            editor=by,
            decision="rejected",
            note="Not what the source says.",
        )

    all_at_once([reject(first, chief), reject(second, deputy)])

    assert set(
        Citation.objects.filter(role_change_id=first.role_change_id).values_list("state", flat=True)
    ) == {CitationState.REJECTED}
    move = RoleChange.objects.get(pk=first.role_change_id)
    assert not move.is_public
    assert not Tenure.objects.public().filter(person_id=move.person_id).exists()


def errors(page: str) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)


@pytest.mark.parametrize("known", [False, True], ids=["new-source", "known-quote"])
def test_the_same_citation_submitted_many_times_at_once_is_added_once(known):
    """A double submit (or several journalists at once): one citation, the others are told.
    With a new source the writers queue on its unique address; with a quote already on the
    desk they meet at the citation's unique constraint."""
    move = pending_citation().role_change
    if known:
        StatementFactory(
            source=SourceFactory(canonical_url="https://example.com/news/the-same-filing"),
            quote="She joins as chief scientist.",
        )
    writers = [journalist(username=f"cite-{number}") for number in range(WRITERS)]
    url = reverse("stories:move-detail", args=[move.pk])
    form = {
        "source_url": "https://example.com/news/the-same-filing?utm_source=x",
        "source_kind": "filing",
        "quote": "She joins as chief scientist.",
    }

    def submit(writer) -> Callable[[], tuple[int, str]]:
        client = signed_in(writer)

        def post() -> tuple[int, str]:
            response = client.post(url, form)
            return response.status_code, response.content.decode()

        return post

    answers = all_at_once([submit(writer) for writer in writers])

    assert sorted(status for status, _ in answers) == [200] * (WRITERS - 1) + [302]
    for status, page in answers:
        if status == 200:
            assert "This move already cites this quote from this source." in page, errors(page)
    cited = Citation.objects.filter(role_change=move, statement__quote=form["quote"])
    assert cited.count() == 1
    assert CitationDecision.objects.filter(citation__in=cited).count() == 1
    assert (
        Source.objects.filter(canonical_url="https://example.com/news/the-same-filing").count() == 1
    )
    assert Statement.objects.filter(quote=form["quote"]).count() == 1


def test_one_new_quote_cited_for_many_moves_at_once_is_one_statement(monkeypatch):
    """Journalists citing the same new words from a source already on the desk, each for
    their own move: every one of them looks for the quote before any has recorded it, so
    they meet at the statement's unique constraint, and every citation rests on the one
    statement the first of them recorded."""
    everyone_looked = threading.Barrier(WRITERS, timeout=30)
    full_clean = Statement.full_clean

    def full_clean_once_everyone_looked(statement, *args, **kwargs):
        everyone_looked.wait()  # between the look-up (none found) and the insert
        return full_clean(statement, *args, **kwargs)

    monkeypatch.setattr(Statement, "full_clean", full_clean_once_everyone_looked)
    source = SourceFactory(canonical_url="https://example.com/news/the-reorganization")
    writers = [journalist(username=f"quote-{number}") for number in range(WRITERS)]
    moves = [pending_citation(title=f"VP {number}").role_change for number in range(WRITERS)]
    form = {
        "source_url": source.canonical_url,
        "source_kind": "article",
        "quote": "Several leaders are taking on new roles today.",
    }

    def submit(writer, move) -> Callable[[], int]:
        client = signed_in(writer)
        url = reverse("stories:move-detail", args=[move.pk])
        return lambda: client.post(url, form).status_code

    statuses = all_at_once(
        [submit(writer, move) for writer, move in zip(writers, moves, strict=True)]
    )

    assert statuses == [302] * WRITERS
    (statement,) = Statement.objects.filter(source=source)
    cited = Citation.objects.filter(source=source)
    assert cited.count() == WRITERS
    assert set(cited.values_list("statement_id", flat=True)) == {statement.pk}
