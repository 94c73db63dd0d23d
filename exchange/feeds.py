"""Atom feeds: published stories, and confirmed moves (all, per organization, per person).

Atom rather than RSS 2.0 for every feed: Atom carries both a publication and an update
time per entry (a corrected story keeps its first publication date and shows when it was
last updated), several authors per entry, and a required, permanent id per entry.

Feeds are public whoever asks for them: they list published stories and publicly confirmed
moves only (rule 3), never drafts or pending moves, even to a signed-in editor. Each feed
costs a fixed number of queries however many items it lists.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from newsroom.page_cache import depends_on, serve
from people.models import Organization, Person, RoleChange
from stories.models import PUBLIC_STATUSES, Correction, Story, StoryLanguage, StoryStatus
from stories.public_record import RecordEntry, record_entries

FEED_SIZE = 50
SITE_NAME = "Newsroom"

# Move entry ids are derived from this namespace and the move's primary key: the id stays the
# same whatever the site's host name, and whatever happens to the person's slug or page.
MOVE_ID_NAMESPACE = uuid.UUID("5b0c9f2e-6a1d-4f0e-9d5c-2a7e3c1b8f40")
# Feed ids likewise: derived from what the feed lists ("stories", "moves", or an organization's
# or person's primary key), never from the host that served it (Django's default is the
# feed's absolute link), so a reader subscribed through another host sees the same feed.
FEED_ID_NAMESPACE = uuid.UUID("b2251f0a-6b26-400a-bca6-c15c0334f17b")


def feed_id(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_ID_NAMESPACE, name)}"


class NewsroomAtomFeed(Atom1Feed):
    """Atom 1.0 with one ``<author>`` per author and the entry's language when it has one."""

    def item_attributes(self, item: dict) -> dict[str, str]:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item: dict) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


def midnight_utc(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class AtomFeed(Feed):
    feed_type = NewsroomAtomFeed
    # The feed-level author makes every entry valid Atom, even one whose authors are gone.
    author_name = SITE_NAME

    # The lists the feed shows (newsroom/page_cache.py); a feed about one thing adds it.
    page_tags: tuple[str, ...] = ()

    def subject_tags(self, **kwargs) -> tuple[str, ...]:
        return ()

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The whole feed, cached for readers like a reader page (newsroom/page_cache.py):
        feeds carry nothing per request, and the key holds the host and the language (the
        links are absolute, the dates in the reader's language)."""

        def build() -> HttpResponse:
            depends_on(request, *self.subject_tags(**kwargs))
            response = super(AtomFeed, self).__call__(request, *args, **kwargs)
            # Django's feed writer appends every XML event to the response as a chunk of its
            # own (about a thousand for a feed of 50 entries), and a WSGI server writes each
            # chunk to the socket separately: one body, one write.
            response.content = response.content
            return response

        return serve(request, build, *self.page_tags)

    def item_title(self, item) -> str:
        # Atom titles are plain text, escaped by the XML writer: no HTML escaping here
        # (Django's default escapes for RSS readers that treat titles as HTML).
        return str(item)


class StoriesFeed(AtomFeed):
    """Published stories, newest first. A withdrawn story keeps its entry, updated at its
    withdrawal: "Withdrawn: …" with the editors' notice, so a reader who has it learns why."""

    title = f"{SITE_NAME}: stories"
    page_tags = ("stories",)
    subtitle = "Stories about personnel moves in tech, every claim resting on a checked source."

    def link(self) -> str:
        return reverse("stories:story-list")

    def feed_guid(self) -> str:
        return feed_id("stories")

    def items(self) -> QuerySet[Story]:
        return self.shown()[:FEED_SIZE]

    def shown(self) -> QuerySet[Story]:
        shown = Story.objects.filter(status__in=[*PUBLIC_STATUSES, StoryStatus.WITHDRAWN])
        return shown.newest_first().prefetch_related("authors")

    def item_title(self, story: Story) -> str:
        if story.is_withdrawn:
            return _("Withdrawn: %(title)s") % {"title": story.title}
        return story.title

    def item_description(self, story: Story) -> str | None:
        # Atom's <summary type="html">: the dek and the notice are text, escaped once here.
        if story.is_withdrawn:
            return escape(story.withdrawal_note)
        return escape(story.dek) if story.dek else None

    def item_pubdate(self, story: Story) -> datetime.datetime | None:
        return story.first_published_at

    def item_updateddate(self, story: Story) -> datetime.datetime | None:
        if story.is_withdrawn and story.withdrawn_at:
            return story.withdrawn_at
        return story.last_updated_at or story.first_published_at

    def item_extra_kwargs(self, story: Story) -> dict:
        authors = [
            author.get_full_name() or author.get_username() for author in story.authors.all()
        ]
        return {"authors": authors, "language": story.language}


class StoriesInLanguageFeed(StoriesFeed):
    """The stories written in one language (``/feeds/stories/ja/``): a reader of the Japanese
    edition follows the Japanese stories only."""

    def get_object(self, request: HttpRequest, language: str) -> str:
        if language not in StoryLanguage.values:
            raise Http404("No stories are written in that language.")
        return language

    def title(self, language: str) -> str:
        return f"{SITE_NAME}: {StoryLanguage(language).label}"

    def get_feed(self, language: str, request: HttpRequest):
        # Written in the edition's language: its declared language, its links (/ja/...) and
        # its words ("取り下げ：…").
        with translation.override(language):
            return super().get_feed(language, request)

    def feed_guid(self, language: str) -> str:
        return feed_id(f"stories:{language}")

    def items(self, language: str) -> QuerySet[Story]:
        return self.shown().filter(language=language)[:FEED_SIZE]


class MovesFeed(AtomFeed):
    """Confirmed moves, newest first by effective date.

    An entry is published on the move's effective date. A move known only to the month or the
    year is dated the first day it can stand for, since Atom wants a full timestamp; its title
    and summary give the date as precisely as it is known, and never more (rule 1). It is
    updated when the move last changed: its confirmation by an editor, or a later edit.
    """

    title = f"{SITE_NAME}: confirmed moves"
    page_tags = ("moves",)
    subtitle = "Role changes in tech confirmed by an editor against their sources."

    def link(self) -> str:
        return reverse("home")

    def feed_guid(self, subject=None) -> str:
        return feed_id("moves")

    def moves(self) -> QuerySet[RoleChange]:
        return RoleChange.objects.public().moves().for_display().newest_first()

    def items(self, subject=None) -> QuerySet[RoleChange]:
        return self.moves_of(subject)[:FEED_SIZE]

    def moves_of(self, subject) -> QuerySet[RoleChange]:
        return self.moves()

    def item_title(self, move: RoleChange) -> str:
        return f"{move.person.name} {move.describe()}"

    def item_description(self, move: RoleChange) -> str:
        parts = [
            format_html(
                "<p>{} {}{} {} at {}, effective {}.</p>",
                move.person.name,
                move.get_kind_display(),
                " interim" if move.is_interim else "",
                move.post.title,
                move.organization.name,
                move.effective.display(),
            )
        ]
        if move.previous_post:
            parts.append(format_html("<p>Previously {}.</p>", move.previous_post.title))
        if move.leaves_organization:
            parts.append(format_html("<p>Left {}.</p>", move.organization.name))
        if move.announced:
            parts.append(format_html("<p>Announced {}.</p>", move.announced.display()))
        if move.reason:
            parts.append(format_html("<p>Reason given: {}</p>", move.reason))
        return "".join(parts)

    def item_link(self, move: RoleChange) -> str:
        return move.person.get_absolute_url()

    def item_guid(self, move: RoleChange) -> str:
        return f"urn:uuid:{uuid.uuid5(MOVE_ID_NAMESPACE, str(move.pk))}"

    def item_pubdate(self, move: RoleChange) -> datetime.datetime:
        return midnight_utc(move.effective_date)

    def item_updateddate(self, move: RoleChange) -> datetime.datetime:
        # Atom's <updated> is when the entry last changed, so readers notice a confirmation
        # or a correction; updated_at moves with both (role_change_set_public saves it).
        return move.updated_at

    def item_categories(self, move: RoleChange) -> list[str]:
        return [move.get_kind_display(), move.organization.name]


class OrganizationMovesFeed(MovesFeed):
    page_tags = ()

    def subject_tags(self, slug: str = "", **kwargs) -> tuple[str, ...]:
        return (f"org:{slug}",)

    def get_object(self, request: HttpRequest, slug: str) -> Organization:
        return Organization.objects.public().get(slug=slug)

    def title(self, organization: Organization) -> str:
        return f"{SITE_NAME}: confirmed moves at {organization.name}"

    def subtitle(self, organization: Organization) -> str:
        return f"Arrivals, departures and promotions at {organization.name}, confirmed."

    def link(self, organization: Organization) -> str:
        return organization.get_absolute_url()

    def feed_guid(self, organization: Organization) -> str:
        return feed_id(f"moves/organization/{organization.pk}")

    def moves_of(self, organization: Organization) -> QuerySet[RoleChange]:
        return self.moves().filter(organization=organization)


class PersonMovesFeed(MovesFeed):
    page_tags = ()

    def subject_tags(self, slug: str = "", **kwargs) -> tuple[str, ...]:
        return (f"person:{slug}",)

    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return Person.objects.public().get(slug=slug)

    def title(self, person: Person) -> str:
        return f"{SITE_NAME}: confirmed moves of {person.name}"

    def subtitle(self, person: Person) -> str:
        return f"Every confirmed role change of {person.name}."

    def link(self, person: Person) -> str:
        return person.get_absolute_url()

    def feed_guid(self, person: Person) -> str:
        return feed_id(f"moves/person/{person.pk}")

    def moves_of(self, person: Person) -> QuerySet[RoleChange]:
        return self.moves().filter(person=person)


class CorrectionsFeed(AtomFeed):
    """Every correction and withdrawal, newest first: what /corrections/ lists."""

    title = f"{SITE_NAME}: corrections and withdrawals"
    page_tags = ("stories",)
    subtitle = "Every correction the editors published and every story they withdrew."

    def link(self) -> str:
        return reverse("stories:correction-list")

    def feed_guid(self) -> str:
        return feed_id("corrections")

    def items(self) -> list[RecordEntry]:
        return record_entries(Correction.objects.public_record()[:FEED_SIZE])

    def item_title(self, entry: RecordEntry) -> str:
        if entry.kind == "correction":
            return _("Correction: %(title)s") % {"title": entry.story.title}
        return _("Withdrawn: %(title)s") % {"title": entry.story.title}

    def item_description(self, entry: RecordEntry) -> str:
        return escape(entry.text)

    def item_link(self, entry: RecordEntry) -> str:
        return entry.url

    def item_guid(self, entry: RecordEntry) -> str:
        return f"urn:uuid:{uuid.uuid5(FEED_ID_NAMESPACE, f'{entry.kind}/{entry.entry_id}')}"

    def item_pubdate(self, entry: RecordEntry) -> datetime.datetime:
        return entry.at

    def item_updateddate(self, entry: RecordEntry) -> datetime.datetime:
        return entry.at
