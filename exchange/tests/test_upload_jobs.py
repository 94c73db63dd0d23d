"""The job that imports an upload: progress seen while its transaction is open, the result,
every error with its line, retries that change nothing, new sources' checks queued."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from bench.csvs import moves_csv
from exchange import upload_jobs
from exchange.models import MovesUpload, UploadState
from exchange.tests.support import row
from exchange.upload_jobs import Progress, moves_upload_run, progress_read
from people.models import RoleChange
from people.tests.factories import editor
from stories.jobs import check_source
from stories.models import Citation, Source

pytestmark = pytest.mark.django_db


def an_upload(rows, *, verify=False, text=None) -> MovesUpload:
    return MovesUpload.objects.create(
        uploaded_by=editor(username="chief"),
        filename="moves.csv",
        content=text if text is not None else moves_csv(rows),
        verify=verify,
    )


def people_rows(count: int) -> list[dict]:
    return [
        row(person=f"Person {n}", source_url=f"https://example.com/news/{n}") for n in range(count)
    ]


def test_progress_is_readable_while_the_import_runs_then_the_result_is_kept(monkeypatch):
    upload = an_upload(people_rows(30))
    seen: list[Progress | None] = []
    real_import = upload_jobs.moves_import

    def watched(**kwargs):
        report = kwargs["on_progress"]

        def on_progress(done):
            report(done)
            seen.append(progress_read(upload))  # read as the status page reads it

        return real_import(**{**kwargs, "on_progress": on_progress})

    monkeypatch.setattr(upload_jobs, "moves_import", watched)
    monkeypatch.setattr(upload_jobs, "WRITE_EVERY", 0)
    assert moves_upload_run.call(upload.pk) == UploadState.DONE
    done = [progress.done for progress in seen if progress]
    assert done == sorted(done) and done[0] < 30 and done[-1] == 30
    assert {progress.total for progress in seen} == {30}
    upload.refresh_from_db()
    assert upload.state == UploadState.DONE and upload.rows_total == 30
    assert upload.started_at <= upload.finished_at
    assert upload.summary.startswith("30 new moves")
    assert RoleChange.objects.count() == 30


def test_speed_and_time_left():
    assert Progress(done=0, total=100, elapsed=0).seconds_left is None
    progress = Progress(done=25, total=100, elapsed=5)
    assert (progress.rows_per_second, progress.seconds_left) == (5, 15)


def test_a_file_with_errors_imports_nothing_and_keeps_every_error_with_its_line():
    upload = an_upload([row(), row(date="2024-13"), row(change="sacked")])
    assert moves_upload_run.call(upload.pk) == UploadState.REFUSED
    upload.refresh_from_db()
    assert [line for line, _ in upload.errors] == [3, 4]
    assert "“2024-13” is not a date" in upload.errors[0][1]
    assert not RoleChange.objects.exists() and not Source.objects.exists()


def test_a_retry_of_a_finished_import_does_nothing():
    upload = an_upload([row()])
    moves_upload_run.call(upload.pk)
    finished = MovesUpload.objects.values().get(pk=upload.pk)
    assert moves_upload_run.call(upload.pk) == "already done"
    assert MovesUpload.objects.values().get(pk=upload.pk) == finished
    assert (RoleChange.objects.count(), Citation.objects.count()) == (1, 1)


def test_a_failed_attempt_leaves_nothing_half_imported_and_the_next_one_imports(monkeypatch):
    upload = an_upload([row()])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(upload_jobs, "_finish", broken)  # after the rows were written
        with pytest.raises(OSError):
            moves_upload_run.call(upload.pk)
    upload.refresh_from_db()
    assert upload.state == UploadState.QUEUED and "disk full" in upload.summary
    assert not RoleChange.objects.exists() and not Source.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=check_source.module_path).exists()
    assert moves_upload_run.call(upload.pk) == UploadState.DONE
    assert RoleChange.objects.count() == 1


def test_new_sources_get_their_check_queued_in_one_insert():
    upload = an_upload(people_rows(12))
    with CaptureQueriesContext(connection) as queries:
        moves_upload_run.call(upload.pk)
    inserts = [q for q in queries if 'INSERT INTO "django_tasks_database' in q["sql"]]
    assert len(inserts) == 1
    queued = DBTaskResult.objects.filter(task_path=check_source.module_path)
    assert sorted(job.args_kwargs["args"][0] for job in queued) == sorted(
        Source.objects.values_list("pk", flat=True)
    )
    assert queued.count() == 12


def test_a_verified_upload_by_someone_no_longer_an_editor_is_refused():
    upload = an_upload([row()], verify=True)
    upload.uploaded_by.groups.clear()
    assert moves_upload_run.call(upload.pk) == UploadState.REFUSED
    upload.refresh_from_db()
    assert upload.errors[0][0] == 1 and "group" in upload.errors[0][1]
    assert not RoleChange.objects.exists()


def test_an_import_whose_every_attempt_fails_says_so_on_its_page(monkeypatch, client):
    """After its last attempt (three, run by the worker with the backoff skipped) the upload
    is failed for good: its page stops waiting for a worker and says nothing was imported."""
    from django.tasks import TaskResultStatus
    from django.urls import reverse
    from django.utils import timezone

    from newsroom.jobs import jobs_run_due

    upload = an_upload([row()])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(upload_jobs, "_finish", broken)
    result = moves_upload_run.enqueue(upload.pk)
    for _ in range(3):
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
        jobs_run_due()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    upload = MovesUpload.objects.select_related("uploaded_by").get(pk=upload.pk)
    assert upload.state == UploadState.FAILED and upload.finished_at
    assert "disk full" in upload.summary and "nothing was imported" in upload.summary
    assert not RoleChange.objects.exists()
    client.force_login(upload.uploaded_by)
    page = client.get(reverse("data:moves-upload", args=[upload.pk])).content.decode()
    assert "hx-trigger" not in page and "disk full" in page


def test_an_import_whose_last_worker_was_lost_says_so_on_its_page():
    from datetime import timedelta

    from django.tasks import TaskResultStatus
    from django.utils import timezone

    from newsroom.jobs import jobs_requeue_stalled

    upload = an_upload([row()])
    result = moves_upload_run.enqueue(upload.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["a", "b", "c"],  # its three attempts, the last one cut short
    )
    assert jobs_requeue_stalled() == 1
    upload.refresh_from_db()
    assert upload.state == UploadState.FAILED
    assert "The worker c stopped while running this job." in upload.summary
