"""Data exchange on the desk: the CSV import of moves (the public API is in stories/api.py)."""

from django.urls import path

from stories.views import imports

app_name = "data"

urlpatterns = [
    path("desk/import/", imports.moves_import_upload, name="moves-import"),
    path("desk/import/confirm/", imports.moves_import_confirm, name="moves-import-confirm"),
]
