"""schema.org JSON-LD for the article page: a NewsArticle with its sources and corrections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse

from stories.models import Citation, Correction, Story

SITE_NAME = "Newsroom"


def news_article(
    story: Story,
    *,
    request: HttpRequest,
    authors: Iterable[AbstractBaseUser],
    sources: Iterable[tuple[int, Citation]],
    corrections: Iterable[Correction],
) -> dict[str, Any]:
    """The article as a NewsArticle, from what the article page already loaded (no query).

    ``sources`` are the page's numbered Sources entries: one CreativeWork each, at the
    footnote's position. Dates of sources are written at their precision ("2024-09").
    """
    url = request.build_absolute_uri(story.get_absolute_url())
    published = story.first_published_at
    modified = story.last_updated_at or published
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": story.language,
        "author": [
            {"@type": "Person", "name": author.get_full_name() or author.get_username()}
            for author in authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "url": request.build_absolute_uri(reverse("home")),
        },
        "about": [
            {
                "@type": "Organization",
                "name": organization.name,
                "url": request.build_absolute_uri(organization.get_absolute_url()),
            }
            for organization in story.organizations.all()
        ],
        "citation": [creative_work(number, citation) for number, citation in sources],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ],
    }
    if story.dek:
        data["description"] = story.dek
    if published:
        data["datePublished"] = published.isoformat()
    if modified:
        data["dateModified"] = modified.isoformat()
    return {key: value for key, value in data.items() if value != []}


def creative_work(number: int, citation: Citation) -> dict[str, Any]:
    source = citation.source
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "position": number,
        "name": source.display_title,
        "url": source.canonical_url,
    }
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    if source.language:
        work["inLanguage"] = source.language
    if source.archive_url:
        work["archivedAt"] = source.archive_url
    return work
