"""The sitemap at ``/sitemap.xml``: reader pages only (published stories, people,
organizations and the list pages). Drafts and the desk are never listed.

Every page is listed in both editions (English at the root, Japanese under ``/ja/``), each
entry with its ``hreflang`` alternates and an ``x-default`` (Django's i18n sitemaps)."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from people.models import Organization, Person
from stories.models import Story


class EditionsSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StorySitemap(EditionsSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet[Story]:
        return (
            Story.objects.published()
            .newest_first()
            .only("slug", "first_published_at", "last_updated_at")
        )

    def lastmod(self, story: Story) -> datetime.datetime | None:
        return story.last_updated_at or story.first_published_at


class PersonSitemap(EditionsSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Person]:
        return Person.objects.public().order_by("pk").only("slug")


class OrganizationSitemap(EditionsSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Organization]:
        return Organization.objects.public().order_by("pk").only("slug")


class ListPageSitemap(EditionsSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> list[str]:
        return ["home", "stories:story-list", "people:person-list", "people:organization-list"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": ListPageSitemap,
    "stories": StorySitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}
