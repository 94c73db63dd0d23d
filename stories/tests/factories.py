"""Factories for sources, statements and citations. Decisions go through the services."""

from __future__ import annotations

import factory

from people.tests.factories import OrganizationFactory, PersonFactory, record
from people.tests.factories import editor as make_editor
from stories.models import Citation, CitationDecision, CitationState, Source, SourceKind, Statement
from stories.services import (
    citation_add,
    citation_decide,
    story_create,
    story_publish,
    story_submit,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    canonical_url = factory.Sequence(lambda n: f"https://example.com/news/{n}")
    url_as_entered = factory.LazyAttribute(lambda source: source.canonical_url)
    title = factory.Sequence(lambda n: f"Announcement {n}")
    publisher = "Example News"
    kind = SourceKind.ARTICLE


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    source = factory.SubFactory(SourceFactory)
    quote = factory.Sequence(lambda n: f"I am thrilled to announce move number {n}.")


def pending_citation(*, person=None, organization=None, title="CTO", created_by=None, **kwargs):
    """A pending citation (with a quote) behind a freshly recorded, unconfirmed move."""
    person = person or PersonFactory()
    organization = organization or OrganizationFactory()
    move = record(person, organization, "appointed", title, "2024-09-25", public=False)
    statement = StatementFactory(**kwargs)
    return citation_add(
        role_change=move, source=statement.source, statement=statement, created_by=created_by
    )


def verified_source_citation(*, editor=None, **source) -> Citation:
    """A verified citation of a source alone, supporting no move: what a story that must
    rest on something (rule 4) cites when a test is about something else. Attaching it
    covers no person and no organization."""
    citation = Citation.objects.create(source=SourceFactory(**source))
    CitationDecision.objects.create(
        citation=citation, to_state=CitationState.PENDING, at=citation.created_at
    )
    return citation_decide(citation=citation, editor=editor or make_editor(), decision="verified")


def published_story(*, author, publisher, title="A story", body="", citations=None, **fields):
    """A story out through the desk's services: started citing ``citations`` (by default one
    verified source, covering nobody: rule 4 wants at least one), submitted, published."""
    if citations is None:
        citations = [verified_source_citation(editor=publisher)]
    markers = " ".join(citation.marker for citation in citations)
    story = story_create(
        author=author,
        title=title,
        body=f"{body} {markers}".strip(),
        citations=citations,
        **fields,
    )
    story_submit(story=story, user=author)
    return story_publish(story=story, editor=publisher)
