"""Notifications: each event reaches the right person's inbox and, unless they turned it off,
their e-mail (sent by the worker; Django's test outbox), and editors get a digest."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from newsroom.jobs import jobs_run_due
from newsroom.models import Notification, NotificationPreference
from people.tests.factories import editor, journalist
from stories.jobs import send_editors_digest
from stories.models import Citation
from stories.services import (
    citation_decide,
    story_create,
    story_publish,
    story_send_back,
    story_submit,
)
from stories.tests.factories import pending_citation, published_story, verified_source_citation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    return journalist(email="reporter@example.com")


@pytest.fixture
def chief():
    return editor(email="chief@example.com")


def _mails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.parametrize("decision", ["verified", "disputed", "rejected"])
def test_journalist_hears_of_each_decision_on_their_citation(reporter, chief, decision):
    citation = pending_citation(created_by=reporter)
    note = "" if decision == "verified" else "The quote is not on the page."
    citation_decide(citation=citation, editor=chief, decision=decision, note=note)
    assert mail.outbox == []  # sent by the worker, not in the request
    jobs_run_due()
    (message,) = _mails_to("reporter@example.com")
    assert f"Citation {citation.pk} was marked {decision}" in message.subject
    assert reverse("stories:citation-detail", args=[citation.pk]) in message.body
    entry = Notification.objects.get(recipient=reporter)
    assert entry.kind == f"citation.{decision}"
    assert entry.emailed_at is not None
    jobs_run_due()
    assert len(mail.outbox) == 1  # sent once


def _story_in_review(author, chief):
    citation = verified_source_citation(editor=chief)
    story = story_create(
        author=author, title="Acme's new CTO", body=citation.marker, citations=[citation]
    )
    return story_submit(story=story, user=author)


def test_authors_hear_when_their_story_is_published(reporter, chief):
    story = story_publish(story=_story_in_review(reporter, chief), editor=chief)
    jobs_run_due()
    (message,) = _mails_to("reporter@example.com")
    assert "was published" in message.subject
    assert reverse("stories:story-detail", args=[story.slug]) in message.body


def test_authors_hear_when_their_story_is_sent_back(reporter, chief):
    story_send_back(story=_story_in_review(reporter, chief), editor=chief, note="Cite the memo.")
    jobs_run_due()
    (message,) = _mails_to("reporter@example.com")
    assert "was sent back: Cite the memo." in message.subject


def test_authors_hear_when_their_published_story_is_flagged(reporter, chief):
    citation = verified_source_citation(editor=chief)
    story = published_story(author=reporter, publisher=chief, citations=[citation])
    citation = Citation.objects.get(pk=citation.pk)
    citation_decide(citation=citation, editor=chief, decision="disputed", note="Denied.")
    jobs_run_due()
    published, flagged = sorted(
        _mails_to("reporter@example.com"), key=lambda m: "flagged" in m.subject
    )
    assert "was published" in published.subject
    assert "is flagged for a correction" in flagged.subject
    message = flagged
    assert reverse("stories:story-edit", args=[story.pk]) in message.body


def test_no_email_for_who_turned_it_off_but_the_inbox_still_gets_it(client, reporter, chief):
    client.force_login(reporter)
    response = client.post(reverse("inbox-email"), {"email": "off"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reporter).email is False
    citation = pending_citation(created_by=reporter)
    citation_decide(citation=citation, editor=chief, decision="verified")
    jobs_run_due()
    assert mail.outbox == []
    page = client.get(reverse("inbox")).content.decode()
    assert f"Citation {citation.pk} was marked verified" in page
    assert "Turn e-mail on" in page


def test_editors_get_a_digest_of_what_waits(chief, reporter):
    pending_citation(created_by=reporter)
    pending_citation(created_by=reporter)
    assert send_editors_digest.call() == 1
    jobs_run_due()
    (message,) = _mails_to("chief@example.com")
    assert "Citations to verify: 2" in message.body
    assert _mails_to("reporter@example.com") == []


def test_no_digest_when_nothing_waits(chief):
    assert send_editors_digest.call() == 0


def test_inbox_marks_everything_read(client, reporter, chief):
    citation_decide(
        citation=pending_citation(created_by=reporter), editor=chief, decision="verified"
    )
    client.force_login(reporter)
    assert "badge-pending" in client.get(reverse("inbox")).content.decode()
    client.post(reverse("inbox-mark-read"))
    assert not Notification.objects.filter(recipient=reporter, read_at__isnull=True).exists()


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_queries_do_not_grow(client, reporter, count, django_assert_num_queries):
    Notification.objects.bulk_create(
        Notification(recipient=reporter, kind="digest", message=f"m{n}") for n in range(count)
    )
    client.force_login(reporter)
    with django_assert_num_queries(7):
        assert client.get(reverse("inbox")).status_code == 200
