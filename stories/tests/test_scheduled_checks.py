"""Source checks that run by themselves: the schedule in settings enqueues the nightly check
once per due moment, and it fans out one check job per stale source."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.jobs import jobs_enqueue_scheduled, last_due
from people.tests.factories import editor
from stories.jobs import check_stale_sources
from stories.models import LinkStatus, Source
from stories.tests.factories import SourceFactory, pending_citation

pytestmark = pytest.mark.django_db


def _local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def test_a_daily_job_is_due_at_its_time_today_or_else_yesterday():
    assert last_due("03:00", _local(2026, 12, 8, 2, 59)) == _local(2026, 12, 7, 3, 0)
    assert last_due("03:00", _local(2026, 12, 8, 3, 0)) == _local(2026, 12, 8, 3, 0)


def test_the_nightly_check_is_enqueued_once_per_night_however_many_workers_look():
    night = _local(2026, 12, 8, 8, 5)  # after the check (03:00) and the digest (08:00)
    daily = ["check-stale-sources", "editors-digest"]
    assert jobs_enqueue_scheduled(now=night) == daily
    assert jobs_enqueue_scheduled(now=night + datetime.timedelta(hours=5)) == []
    assert jobs_enqueue_scheduled(now=night + datetime.timedelta(days=1)) == daily
    queued = DBTaskResult.objects.filter(task_path="stories.jobs.check_stale_sources")
    assert queued.count() == 2
    assert queued.first().args_kwargs["kwargs"] == {"stale_days": settings.SOURCE_CHECK_STALE_DAYS}


def test_the_nightly_check_enqueues_a_check_of_each_stale_source_only():
    now = timezone.now()
    never = SourceFactory()
    old = SourceFactory(last_checked_at=now - datetime.timedelta(days=10))
    SourceFactory(last_checked_at=now - datetime.timedelta(days=1))  # fresh: left alone
    assert check_stale_sources.call(7) == 2
    checks = DBTaskResult.objects.filter(task_path="stories.jobs.check_source")
    assert sorted(row.args_kwargs["args"][0] for row in checks) == sorted([never.pk, old.pk])
    assert {row.priority for row in checks} == {-10}  # after the checks of new citations


def test_the_verification_queue_shows_each_sources_link_status_and_last_check(client):
    unchecked = pending_citation()
    checked = pending_citation()
    Source.objects.filter(pk=checked.source_id).update(
        link_status=LinkStatus.DEAD, last_checked_at=timezone.now()
    )
    client.force_login(editor())
    page = client.get(reverse("stories:verify-queue")).content.decode()
    assert "Link not checked yet" in page
    assert "Link dead, checked" in page
    assert unchecked.pk != checked.pk
