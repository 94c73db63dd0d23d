from django.urls import path

from stories.views import desk, verification

app_name = "stories"

urlpatterns = [
    path("desk/", desk.desk_home, name="desk-home"),
    path("desk/moves/new/", desk.move_record, name="move-record"),
    path("desk/moves/<int:pk>/", desk.move_detail, name="move-detail"),
    path("desk/lookup/<str:kind>/", desk.lookup, name="lookup"),
    path("desk/sources/preview/", desk.source_preview, name="source-preview"),
    path("desk/sources/<int:pk>/edit/", desk.source_edit, name="source-edit"),
    path("desk/statements/<int:pk>/edit/", desk.statement_edit, name="statement-edit"),
    path("desk/verify/", verification.queue, name="verify-queue"),
    path("desk/citations/<int:pk>/", verification.citation_detail, name="citation-detail"),
    path("desk/citations/<int:pk>/decide/", verification.decide, name="citation-decide"),
]
