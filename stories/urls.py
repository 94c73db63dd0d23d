from django.urls import path

from stories.views import (
    archived,
    articles,
    audit,
    corrections,
    desk,
    edits,
    jobs,
    story_desk,
    verification,
)

app_name = "stories"

urlpatterns = [
    path("desk/", desk.desk_home, name="desk-home"),
    path("desk/moves/new/", desk.move_record, name="move-record"),
    path("desk/moves/<int:pk>/", desk.move_detail, name="move-detail"),
    path("desk/lookup/<str:kind>/", desk.lookup, name="lookup"),
    path("desk/sources/preview/", desk.source_preview, name="source-preview"),
    path("desk/sources/<int:pk>/edit/", desk.source_edit, name="source-edit"),
    path("desk/statements/<int:pk>/edit/", desk.statement_edit, name="statement-edit"),
    path("desk/stories/new/", story_desk.story_new, name="story-new"),
    path("desk/stories/<int:pk>/", story_desk.story_edit, name="story-edit"),
    path("desk/stories/<int:pk>/preview/", story_desk.story_preview, name="story-preview"),
    path(
        "desk/stories/<int:pk>/attach/search/",
        story_desk.story_attach_search,
        name="story-attach-search",
    ),
    path("desk/stories/<int:pk>/attach/", story_desk.story_attach, name="story-attach"),
    path("desk/stories/<int:pk>/detach/", story_desk.story_detach, name="story-detach"),
    path("desk/stories/<int:pk>/revisions/", story_desk.story_revisions, name="story-revisions"),
    path(
        "desk/stories/<int:pk>/claims/check/",
        story_desk.story_claim_check,
        name="story-claim-check",
    ),
    path("desk/stories/<int:pk>/<slug:action>/", story_desk.story_workflow, name="story-workflow"),
    path("desk/review/", story_desk.review_queue, name="review-queue"),
    path("desk/verify/", verification.queue, name="verify-queue"),
    path("desk/audit/", audit.audit_log, name="audit-log"),
    path("desk/jobs/", jobs.job_list, name="job-list"),
    path("desk/citations/<int:pk>/", verification.citation_detail, name="citation-detail"),
    path("desk/citations/<int:pk>/decide/", verification.decide, name="citation-decide"),
    path("desk/edits/<int:pk>/decide/", edits.decide, name="edit-decide"),
    path("corrections/", corrections.correction_list, name="correction-list"),
    path("sources/<int:pk>/archived/", archived.source_archived, name="source-archived"),
    path("stories/", articles.story_list, name="story-list"),
    path("stories/<slug:slug>/", articles.story_detail, name="story-detail"),
    path("stories/<slug:slug>/sidebar/", articles.story_sidebar, name="story-sidebar"),
]
