"""Embargoes: a story scheduled for a moment (in a time zone) shows nowhere until then, is
published by the worker at that moment, and can be rescheduled or pulled before. Time is
controlled by moving timezone.now, which the services, the queue and the views all read."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.jobs import jobs_run_due
from people.tests.factories import editor, journalist
from stories.models import Story, StoryStatus
from stories.services import story_create, story_schedule, story_submit, story_unschedule
from stories.tests.factories import verified_source_citation

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
TITLE = "Embargoed appointment at Example Corp"


class Clock:
    def __init__(self, monkeypatch, start: datetime.datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, datetime.datetime(2026, 12, 8, 0, 0, tzinfo=datetime.UTC))


@pytest.fixture
def chief():
    return editor()


@pytest.fixture
def story_in_review(chief) -> Story:
    author = journalist()
    citation = verified_source_citation(editor=chief)
    story = story_create(author=author, title=TITLE, body=citation.marker, citations=[citation])
    return story_submit(story=story, user=author)


def _public_places(client, story: Story) -> dict[str, str]:
    """Every public place a story shows: its page, the list, the feed, the sitemap, the home
    page and the API's index (status and body of each)."""
    places = {
        "article": reverse("stories:story-detail", args=[story.slug]),
        "list": reverse("stories:story-list"),
        "feed": reverse("feeds:stories"),
        "sitemap": "/sitemap.xml",
        "home": reverse("home"),
    }
    return {
        name: f"{(r := client.get(url)).status_code} {r.content.decode()}"
        for name, url in places.items()
    }


def _shows(client, story: Story) -> set[str]:
    return {
        name
        for name, answer in _public_places(client, story).items()
        if answer.startswith("200") and (TITLE in answer or story.slug in answer)
    }


def test_scheduled_story_is_invisible_until_its_time_then_published_by_the_worker(
    client, clock, chief, story_in_review
):
    at_nine_tokyo = datetime.datetime(2026, 12, 8, 9, 30, tzinfo=TOKYO)  # 00:30 UTC
    story = story_schedule(story=story_in_review, editor=chief, publish_at=at_nine_tokyo)
    assert story.scheduled_for == datetime.datetime(2026, 12, 8, 0, 30, tzinfo=datetime.UTC)
    assert story.scheduled_time_zone == "Asia/Tokyo"

    clock.advance(minutes=29)
    jobs_run_due()
    assert Story.objects.get(pk=story.pk).status == StoryStatus.IN_REVIEW
    assert _shows(client, story) == set()

    clock.advance(minutes=1)
    jobs_run_due()
    published = Story.objects.get(pk=story.pk)
    assert published.status == StoryStatus.PUBLISHED
    assert published.first_published_at == clock.now
    assert published.scheduled_for is None
    assert _shows(client, story) == {"article", "list", "feed", "sitemap", "home"}


def test_rescheduled_story_is_published_at_the_new_time_only(clock, chief, story_in_review):
    story_schedule(
        story=story_in_review, editor=chief, publish_at=clock.now + datetime.timedelta(hours=1)
    )
    later = clock.now + datetime.timedelta(hours=3)
    story_schedule(story=story_in_review, editor=chief, publish_at=later)
    clock.advance(hours=2)
    jobs_run_due()  # the first schedule's job runs, and does nothing
    assert Story.objects.get(pk=story_in_review.pk).status == StoryStatus.IN_REVIEW
    clock.advance(hours=1)
    jobs_run_due()
    assert Story.objects.get(pk=story_in_review.pk).status == StoryStatus.PUBLISHED
    results = DBTaskResult.objects.filter(task_path="stories.jobs.publish_scheduled_story")
    assert sorted(results.values_list("return_value", flat=True)) == [
        "no longer scheduled for this moment",
        "published",
    ]


def test_pulled_story_stays_in_review(clock, chief, story_in_review):
    story_schedule(
        story=story_in_review, editor=chief, publish_at=clock.now + datetime.timedelta(hours=1)
    )
    story_unschedule(story=story_in_review, editor=chief)
    clock.advance(hours=2)
    jobs_run_due()
    story = Story.objects.get(pk=story_in_review.pk)
    assert story.status == StoryStatus.IN_REVIEW
    assert story.scheduled_for is None
    job = DBTaskResult.objects.get(task_path="stories.jobs.publish_scheduled_story")
    assert job.status == TaskResultStatus.SUCCESSFUL


def test_a_moment_in_the_past_is_refused(clock, chief, story_in_review):
    with pytest.raises(ValidationError, match="That time has passed"):
        story_schedule(
            story=story_in_review, editor=chief, publish_at=clock.now - datetime.timedelta(1)
        )


def test_editor_schedules_from_the_story_page_in_a_time_zone(client, clock, chief, story_in_review):
    client.force_login(chief)
    url = reverse("stories:story-workflow", args=[story_in_review.pk, "schedule"])
    response = client.post(url, {"publish_at": "2026-12-08T09:30", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    story = Story.objects.get(pk=story_in_review.pk)
    assert story.scheduled_for == datetime.datetime(2026, 12, 8, 0, 30, tzinfo=datetime.UTC)
    page = client.get(reverse("stories:story-edit", args=[story.pk])).content.decode()
    assert "Scheduled for publication on" in page
    assert "(Asia/Tokyo)" in page
    assert "Reschedule" in page


def test_a_bad_schedule_says_what_is_wrong(client, clock, chief, story_in_review):
    client.force_login(chief)
    url = reverse("stories:story-workflow", args=[story_in_review.pk, "schedule"])
    response = client.post(
        url, {"publish_at": "next tuesday", "time_zone": "Mars/Olympus"}, follow=True
    )
    page = response.content.decode()
    assert "Publish on:" in page and "Time zone:" in page
    assert Story.objects.get(pk=story_in_review.pk).scheduled_for is None
