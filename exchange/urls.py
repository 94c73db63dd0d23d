"""Data exchange on the desk: the CSV import and export of moves (the public API is in
exchange/api.py)."""

from django.urls import path

from exchange import views

app_name = "data"

urlpatterns = [
    path("desk/import/", views.moves_import_upload, name="moves-import"),
    path("desk/import/<int:pk>/", views.moves_upload_detail, name="moves-upload"),
    path("desk/export/moves.csv", views.moves_export, name="moves-export"),
]
