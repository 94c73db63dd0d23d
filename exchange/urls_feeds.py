"""Atom feeds, included under ``/feeds/`` by the root URLconf."""

from django.urls import path

from exchange.feeds import (
    CorrectionsFeed,
    MovesFeed,
    OrganizationMovesFeed,
    PersonMovesFeed,
    StoriesFeed,
    StoriesInLanguageFeed,
)

app_name = "feeds"

urlpatterns = [
    path("stories/", StoriesFeed(), name="stories"),
    # The stories written in one language, for each edition (en, ja).
    path("stories/<slug:language>/", StoriesInLanguageFeed(), name="stories-in"),
    path("corrections/", CorrectionsFeed(), name="corrections"),
    path("moves/", MovesFeed(), name="moves"),
    path("organizations/<slug:slug>/moves/", OrganizationMovesFeed(), name="organization-moves"),
    path("people/<slug:slug>/moves/", PersonMovesFeed(), name="person-moves"),
]
