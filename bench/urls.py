"""The site's URLs plus ``/bench/baseline/``, served only by the benchmark's settings."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench-baseline"),
    path("", include("newsroom.urls")),
]
