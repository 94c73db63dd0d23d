"""Atom feeds, included under ``/feeds/`` by the root URLconf."""

from django.urls import path

from exchange.feeds import (
    CorrectionsFeed,
    MovesFeed,
    OrganizationMovesFeed,
    PersonMovesFeed,
    StoriesFeed,
)

app_name = "feeds"

urlpatterns = [
    path("stories/", StoriesFeed(), name="stories"),
    path("corrections/", CorrectionsFeed(), name="corrections"),
    path("moves/", MovesFeed(), name="moves"),
    path("organizations/<slug:slug>/moves/", OrganizationMovesFeed(), name="organization-moves"),
    path("people/<slug:slug>/moves/", PersonMovesFeed(), name="person-moves"),
]
