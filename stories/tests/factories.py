"""Factories for sources, statements and citations. Decisions go through the services."""

from __future__ import annotations

import factory

from people.tests.factories import OrganizationFactory, PersonFactory, record
from stories.models import Source, SourceKind, Statement
from stories.services import citation_add


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
