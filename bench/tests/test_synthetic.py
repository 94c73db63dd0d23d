"""generate_desk: the synthetic desk keeps every rule the desk's own writes keep."""

import re
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef

from bench.synthetic import SCALES, desk_counts
from people.models import Organization, Person, PersonName, Post, RoleChange, Tenure
from people.tenures import tenure_rows
from stories.models import Citation, CitationDecision, Source, Story, StoryStatus

pytestmark = pytest.mark.django_db
TINY = SCALES["tiny"]
OTHER_SCRIPTS = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u0900-\u097f\u3040-\u9fff\uac00-\ud7af]"
)


@pytest.fixture
def desk():
    call_command("generate_desk", scale="tiny")


def tenure_facts(tenures) -> set[tuple]:
    return {
        (
            tenure.scope,
            tenure.person_id,
            tenure.organization_id,
            tenure.post_id,
            tenure.is_interim,
            tenure.start_date,
            tenure.start_precision,
            tenure.end_date,
            tenure.end_precision,
            tenure.started_by_id,
            tenure.ended_by_id,
        )
        for tenure in tenures
    }


def test_the_desk_has_the_counts_of_its_scale(desk):
    counts = desk_counts()
    assert counts["people"] == TINY.people
    assert counts["organizations"] == TINY.organizations
    assert counts["posts"] == TINY.posts
    assert counts["stories"] == TINY.stories
    assert counts["citations"] == TINY.citations
    assert counts["sources"] == TINY.sources
    assert TINY.role_changes * 0.99 <= counts["role_changes"] <= TINY.role_changes
    assert counts["tenures"] > 0
    assert Organization.objects.filter(posts__rank=10).distinct().count() == TINY.organizations


def test_tenures_are_the_replay_of_each_persons_role_changes(desk):
    """What people.tenures would rebuild from the role changes is exactly what is stored."""
    changes = defaultdict(list)
    for change in RoleChange.objects.select_related(
        "person", "organization", "post", "previous_post"
    ).order_by("pk"):
        changes[(change.person_id, change.organization_id)].append(change)
    rebuilt = [
        tenure
        for (person_id, organization_id), group in changes.items()
        for tenure in tenure_rows(group, person_id=person_id, organization_id=organization_id)
    ]
    assert tenure_facts(Tenure.objects.all()) == tenure_facts(rebuilt)
    assert Tenure.objects.count() == len(rebuilt)


def test_a_role_change_is_public_exactly_when_a_citation_is_verified(desk):
    verified = Citation.objects.filter(role_change=OuterRef("pk"), state="verified")
    annotated = RoleChange.objects.annotate(has_verified=Exists(verified))
    assert annotated.filter(is_public=True, has_verified=False).count() == 0
    assert annotated.filter(is_public=False, has_verified=True).count() == 0
    assert 0 < RoleChange.objects.filter(is_public=True).count() < RoleChange.objects.count()


def test_every_citation_has_its_history_and_a_statement_from_its_own_source(desk):
    assert CitationDecision.objects.count() == Citation.objects.count()
    for citation in Citation.objects.select_related("statement").exclude(statement=None):
        assert citation.statement.source_id == citation.source_id


def test_published_stories_cite_verified_citations_only(desk):
    public = Story.objects.published()
    assert public.count() > 0
    assert not Citation.objects.filter(stories__in=public).exclude(state="verified").exists()
    for story in Story.objects.prefetch_related("citations"):
        cited = {citation.pk for citation in story.citations.all()}
        assert story.cited_ids and set(story.cited_ids) == cited
        assert f'href="#source-{len(story.cited_ids)}"' in story.body_html
        if story.status in (StoryStatus.PUBLISHED, StoryStatus.CORRECTED):
            assert story.first_published_at is not None


def test_a_share_of_people_have_names_in_other_scripts(desk):
    names = list(Person.objects.values_list("name", flat=True)) + list(
        PersonName.objects.values_list("name", flat=True)
    )
    other_script = [name for name in names if OTHER_SCRIPTS.search(name)]
    assert 0 < len(other_script) < TINY.people
    assert all(Person.objects.values_list("slug", flat=True))


def test_the_desk_is_generated_into_an_empty_database_only(desk):
    before = desk_counts()
    with pytest.raises(CommandError, match="already holds people"):
        call_command("generate_desk", scale="tiny")
    assert desk_counts() == before


def test_reuse_keeps_a_desk_of_the_same_scale(desk, capsys):
    before = desk_counts()
    call_command("generate_desk", scale="tiny", reuse=True)
    assert "reused" in capsys.readouterr().out
    assert desk_counts() == before
    assert Source.objects.count() == TINY.sources
    assert Post.objects.count() == TINY.posts
