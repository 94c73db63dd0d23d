"""Invalidation as narrow as the change (people/cache_tags.py, stories/cache_tags.py): after
each kind of write, every cached reader page that shows it is rebuilt on the next request
and shows it, and the pages that do not show it are still served from the cache (no query).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.tests.factories import OrganizationFactory, PersonFactory, editor, journalist, record
from stories.models import Story
from stories.services import (
    citation_decide,
    story_add_correction,
    story_withdraw,
)
from stories.tests.factories import pending_citation
from stories.tests.test_articles import publish, write

pytestmark = pytest.mark.django_db


class Site:
    """Two organizations, each with a leader, a cited move and a published story."""

    def __init__(self) -> None:
        self.author, self.publisher = journalist(), editor()
        self.acme = OrganizationFactory(name="Acme Robotics", slug="acme")
        self.globex = OrganizationFactory(name="Globex", slug="globex")
        self.carl = PersonFactory(name="Carl Chief", slug="carl-chief")
        self.gina = PersonFactory(name="Gina Globe", slug="gina-globe")
        self.acme_citation = self._cited_move(self.carl, self.acme)
        self.globex_citation = self._cited_move(self.gina, self.globex)
        self.acme_story = publish(
            write(self.author, title="Acme news", citations=[self.acme_citation]),
            self.author,
            self.publisher,
        )
        self.globex_story = publish(
            write(self.author, title="Globex news", citations=[self.globex_citation]),
            self.author,
            self.publisher,
        )

    def _cited_move(self, person, organization):
        citation = pending_citation(
            person=person, organization=organization, title="Chief Executive Officer"
        )
        return citation_decide(citation=citation, editor=editor(), decision="verified")

    def pages(self) -> dict[str, str]:
        return {
            "home": "/",
            "story list": "/stories/",
            "people": "/people/",
            "organizations": "/organizations/",
            "acme": self.acme.get_absolute_url(),
            "acme as of 2019": self.acme.get_absolute_url() + "?as_of=2019-01-01",
            "globex": self.globex.get_absolute_url(),
            "carl": self.carl.get_absolute_url(),
            "gina": self.gina.get_absolute_url(),
            "acme story": self.acme_story.get_absolute_url(),
            "globex story": self.globex_story.get_absolute_url(),
            "stories feed": "/feeds/stories/",
            "moves feed": "/feeds/moves/",
            "acme feed": "/feeds/organizations/acme/moves/",
            "globex feed": "/feeds/organizations/globex/moves/",
        }


@pytest.fixture
def site():
    return Site()


def warm(client, site) -> dict[str, bytes]:
    pages = {}
    for name, url in site.pages().items():
        client.get(url)
        pages[name] = client.get(url).content
    return pages


def rebuilt(client, site) -> dict[str, bool]:
    """Which pages the next request builds again (it queries) rather than serves cached."""
    result = {}
    for name, url in site.pages().items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        result[name] = len(queries) > 0
    return result


def check(client, site, *, changed: set[str], kept: set[str]) -> dict[str, bool]:
    outcome = rebuilt(client, site)
    assert {name for name in changed if not outcome[name]} == set(), outcome
    assert {name for name in kept if outcome[name]} == set(), outcome
    return outcome


ACME_SIDE = {"acme", "acme as of 2019", "carl", "acme story", "acme feed"}
GLOBEX_SIDE = {"globex", "gina", "globex story", "globex feed"}


def test_a_move_verified_at_one_organization_keeps_the_others_pages(client, site):
    citation = pending_citation(
        person=PersonFactory(name="Nora New", slug="nora-new"),
        organization=site.acme,
        title="Chief Technology Officer",
    )
    warm(client, site)
    citation_decide(citation=citation, editor=site.publisher, decision="verified")
    check(
        client,
        site,
        changed={"acme", "acme story", "home", "people", "moves feed", "acme feed"},
        kept=GLOBEX_SIDE | {"story list", "stories feed"},
    )
    assert "Nora New" in client.get(site.acme.get_absolute_url()).content.decode()


def test_a_citation_rejected_changes_its_story_and_move_only(client, site):
    before = warm(client, site)
    citation_decide(
        citation=site.acme_citation, editor=site.publisher, decision="rejected", note="Wrong."
    )
    check(
        client,
        site,
        changed={"acme", "carl", "acme story", "home", "moves feed", "acme feed"},
        kept=GLOBEX_SIDE | {"story list", "stories feed"},
    )
    after = client.get(site.acme_story.get_absolute_url()).content
    assert after != before["acme story"]
    assert "Carl Chief" not in client.get(site.acme.get_absolute_url()).content.decode()


def test_a_story_published_changes_the_lists_not_the_people(client, site):
    draft = write(site.author, title="Third story")
    warm(client, site)
    publish(draft, site.author, site.publisher)
    check(
        client,
        site,
        changed={"home", "story list", "stories feed"},
        kept=ACME_SIDE | GLOBEX_SIDE - {"acme story", "globex story"} | {"people"},
    )
    assert "Third story" in client.get("/stories/").content.decode()


def test_a_story_corrected_changes_its_page_only(client, site):
    warm(client, site)
    story_add_correction(story=site.acme_story, editor=site.publisher, text="A date was wrong.")
    check(
        client,
        site,
        changed={"acme story"},
        kept=GLOBEX_SIDE | {"acme", "carl", "people", "moves feed"},
    )
    assert "A date was wrong." in client.get(site.acme_story.get_absolute_url()).content.decode()


def test_a_story_withdrawn_is_gone_at_once_and_others_are_kept(client, site):
    warm(client, site)
    story_withdraw(story=site.acme_story, editor=site.publisher, note="It was wrong.")
    check(
        client,
        site,
        changed={"story list", "home", "stories feed"},
        kept=GLOBEX_SIDE | {"acme", "carl", "people"},
    )
    assert client.get(site.acme_story.get_absolute_url()).status_code == 410


def test_a_person_edited_changes_every_page_showing_them(client, site):
    warm(client, site)
    site.carl.name = "Carl Chieftain"
    site.carl.save()
    check(
        client,
        site,
        changed={"carl", "acme", "acme story", "people", "home", "moves feed", "acme feed"},
        kept=GLOBEX_SIDE | {"story list"},
    )
    for url in (site.acme.get_absolute_url(), "/people/", site.acme_story.get_absolute_url()):
        assert "Carl Chieftain" in client.get(url).content.decode(), url


def test_an_organization_edited_changes_every_page_showing_it(client, site):
    warm(client, site)
    site.globex.name = "Globex Corporation"
    site.globex.save()
    check(
        client,
        site,
        changed={"globex", "gina", "globex story", "organizations", "home", "people"},
        kept={"acme", "acme as of 2019", "carl", "acme story", "acme feed", "story list"},
    )
    assert "Globex Corporation" in client.get(site.gina.get_absolute_url()).content.decode()


def test_a_write_nobody_named_changes_every_page(client, site):
    """An import (COPY), a QuerySet.update, raw SQL: what they change is not known."""
    warm(client, site)
    record(PersonFactory(name="Ivy Import"), site.globex, "joined", "Engineer", "2024")
    Story.objects.filter(pk=site.acme_story.pk).update(dek="Updated behind the desk's back")
    outcome = rebuilt(client, site)
    assert all(outcome.values()), outcome


def test_a_story_drawing_an_organizations_timeline_follows_that_organization(client, site):
    story = publish(
        write(site.author, title="Globex and its rival", body="Intro.\n\n[timeline:acme]\n\n"),
        site.author,
        site.publisher,
    )
    url = story.get_absolute_url()
    citation = pending_citation(
        person=PersonFactory(name="Tim Timeline"), organization=site.acme, title="CFO"
    )
    warm(client, site)
    client.get(url)
    citation_decide(citation=citation, editor=site.publisher, decision="verified")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0
    check(client, site, changed=set(), kept=GLOBEX_SIDE)
