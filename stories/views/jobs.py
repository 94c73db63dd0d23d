"""Background jobs on the desk: what waits, what runs, what failed and why. Editors only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.tasks import TaskResultStatus
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from stories.views.access import editor_required

PAGE_SIZE = 50


@require_GET
@editor_required
def job_list(request: HttpRequest) -> HttpResponse:
    """Failed jobs, and jobs waiting to be tried again after an error, newest first.

    A failed job has used up its attempts (newsroom.jobs): its error is shown whole, since it
    is what an editor or an administrator needs to fix the cause.
    """
    counts = dict(
        DBTaskResult.objects.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    troubled = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED
    ) | DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(traceback="")
    troubled = troubled.order_by("-enqueued_at").only(
        "id",
        "status",
        "task_path",
        "enqueued_at",
        "finished_at",
        "run_after",
        "worker_ids",
        "exception_class_path",
        "traceback",
    )
    page = Paginator(troubled, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [(label, counts.get(value, 0)) for value, label in TaskResultStatus.choices]
    return render(request, "desk/job_list.html", {"page": page, "statuses": statuses})
