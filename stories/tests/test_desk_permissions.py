"""The design's permission table, for every desk URL and every role.

Every URL under /desk/ (read from the URL configuration, so a new one without an entry here
fails the first test) is visited with each method it answers: anonymous visitors are sent to
sign in, a signed-in reader without a desk role gets 403, and journalists and editors get
what the table allows them. A refused POST changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from newsroom.models import ProposedEdit
from people.models import RoleChange
from people.tests.factories import UserFactory, editor, journalist
from stories.models import Citation, CitationDecision, Source, Statement, Story
from stories.services import citation_decide, statement_update, story_create
from stories.tests.factories import SourceFactory, pending_citation

pytestmark = pytest.mark.django_db

FORBIDDEN = 403


def desk_route_names(patterns=None, prefix="", namespace="") -> set[str]:
    """The name of every URL pattern under desk/, from the root URL configuration."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= desk_route_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and route.startswith("desk/"):
            names.add(namespace + pattern.name)
    return names


@dataclass(frozen=True)
class Visit:
    name: str
    method: str
    journalist: int  # the status a journalist (the author and owner of the desk objects) gets
    editor: int
    args: tuple[str, ...] = ()  # keys of the desk fixture, or literal strings
    query: str = ""

    def url(self, desk: dict) -> str:
        args = [desk.get(arg, arg) for arg in self.args]
        return reverse(self.name, args=args) + self.query

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (f" {'/'.join(self.args)}" if self.args else "")


VISITS = [
    Visit("stories:desk-home", "get", 200, 200),
    Visit("stories:move-record", "get", 200, 200),
    Visit("stories:move-record", "post", 200, 200),  # an empty form: its errors
    Visit("stories:move-detail", "get", 200, 200, ("move",)),
    Visit("stories:move-detail", "post", 200, 200, ("move",)),
    Visit("stories:lookup", "get", 200, 200, ("person",), "?person_name=a"),
    Visit("stories:source-preview", "get", 200, 200, query="?source_url=https://example.com"),
    Visit("stories:source-edit", "get", 200, 200, ("source",)),
    Visit("stories:source-edit", "post", 200, 200, ("source",)),
    Visit("stories:statement-edit", "get", 200, 200, ("statement",)),
    Visit("stories:statement-edit", "post", 200, 200, ("statement",)),
    Visit("stories:story-new", "get", 200, 200),
    Visit("stories:story-new", "post", 200, 200),
    Visit("stories:story-edit", "get", 200, 200, ("story",)),
    Visit("stories:story-edit", "post", 400, 400, ("story",)),
    Visit("stories:story-preview", "post", 200, 200, ("story",)),
    Visit("stories:story-attach-search", "get", 200, 200, ("story",), "?q=a"),
    Visit("stories:story-attach", "post", 302, 302, ("story",)),
    Visit("stories:story-detach", "post", 404, 404, ("story",)),
    Visit("stories:story-revisions", "get", 200, 200, ("story",)),
    Visit("stories:story-claim-check", "post", FORBIDDEN, 302, ("story",)),
    Visit("stories:story-workflow", "post", 302, 302, ("story", "submit")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "send-back")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "publish")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "withdraw")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "correct")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "schedule")),
    Visit("stories:story-workflow", "post", FORBIDDEN, 302, ("story", "unschedule")),
    Visit("stories:review-queue", "get", FORBIDDEN, 200),
    Visit("stories:verify-queue", "get", FORBIDDEN, 200),
    Visit("stories:audit-log", "get", FORBIDDEN, 200),
    Visit("stories:job-list", "get", FORBIDDEN, 200),
    Visit("inbox", "get", 200, 200),
    Visit("inbox-mark-read", "post", 302, 302),
    Visit("inbox-email", "post", 302, 302),  # no choice: back, with the error
    Visit("stories:citation-detail", "get", 200, 200, ("citation",)),
    Visit("stories:citation-decide", "post", FORBIDDEN, 400, ("citation",)),  # no decision
    Visit("stories:edit-decide", "post", FORBIDDEN, 302, ("edit",)),  # no decision: back
    Visit("data:moves-import", "get", FORBIDDEN, 200),
    Visit("data:moves-import", "post", FORBIDDEN, 200),  # no file: the form again
    Visit("data:moves-import-confirm", "post", FORBIDDEN, 302),  # nothing to confirm
    Visit("data:moves-export", "get", FORBIDDEN, 200),
]


@pytest.fixture
def desk() -> dict:
    """A journalist's draft, citation, quote and source (none verified), and an editor."""
    author = journalist(username="author")
    citation = pending_citation(created_by=author, source=SourceFactory(created_by=author))
    Statement.objects.filter(pk=citation.statement_id).update(created_by=author)
    story = story_create(author=author, title="Who runs the lab", body="A draft.")
    checked = pending_citation()
    citation_decide(citation=checked, editor=editor(), decision="verified")
    statement_update(statement=checked.statement, editor=editor(), quote="Edited words.")
    return {
        "journalist": author,
        "editor": editor(username="chief"),
        "move": str(citation.role_change_id),
        "citation": str(citation.pk),
        "source": str(citation.source_id),
        "statement": str(citation.statement_id),
        "story": str(story.pk),
        "edit": str(ProposedEdit.objects.pending().get().pk),
    }


def snapshot() -> list:
    """What a refused request must leave as it was."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            RoleChange,
            Source,
            Statement,
            Citation,
            CitationDecision,
            Story,
            ProposedEdit,
        )
    ]


def test_every_desk_url_is_in_the_matrix():
    assert {visit.name for visit in VISITS} == desk_route_names()


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.id)
@pytest.mark.parametrize("role", ["anonymous", "reader", "journalist", "editor"])
def test_every_desk_url_answers_each_role_as_the_design_says(client, desk, visit, role):
    """Anonymous: sent to sign in. Reader: 403. Journalist and editor: as the table allows.
    A refused request (sign in first, or 403) changes nothing."""
    if role == "reader":
        client.force_login(UserFactory())
    elif role != "anonymous":
        client.force_login(desk[role])
    before = snapshot()
    response = getattr(client, visit.method)(visit.url(desk))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        expected = FORBIDDEN if role == "reader" else getattr(visit, role)
        assert response.status_code == expected
    if role in ("anonymous", "reader") or response.status_code == FORBIDDEN:
        assert snapshot() == before
