"""The desk's list of background jobs: failed ones with their error, for editors only."""

from __future__ import annotations

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from newsroom.tests.jobs_for_tests import fail_times
from people.tests.factories import editor, journalist

pytestmark = pytest.mark.django_db


def _failed(folder, n: int = 1) -> list[str]:
    ids = []
    for _ in range(n):
        result = fail_times.enqueue(str(folder), 99)
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.FAILED,
            exception_class_path="builtins.RuntimeError",
            traceback="RuntimeError: the source server answered 503",
            worker_ids=["a", "b", "c"],
        )
        ids.append(result.id)
    return ids


def test_editor_sees_a_failed_job_with_its_error(client, tmp_path):
    _failed(tmp_path)
    fail_times.enqueue(str(tmp_path), 0)  # waiting, no error: not listed
    client.force_login(editor())
    response = client.get(reverse("stories:job-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Failed for good" in page
    assert "the source server answered 503" in page
    assert page.count("jobs_for_tests.fail_times") == 1


def test_journalist_may_not_see_the_jobs(client):
    client.force_login(journalist())
    assert client.get(reverse("stories:job-list")).status_code == 403


@pytest.mark.parametrize("jobs", [3, 50])
def test_job_list_queries_do_not_grow_with_the_jobs(
    client, tmp_path, jobs, django_assert_num_queries
):
    _failed(tmp_path, jobs)
    client.force_login(editor())
    with django_assert_num_queries(7):
        response = client.get(reverse("stories:job-list"))
    assert response.status_code == 200
