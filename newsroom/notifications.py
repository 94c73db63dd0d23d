"""Notifications: an inbox on the desk, and e-mail sent by a background job.

:func:`notify` is what the services call when something happens that a person should hear
about (a citation decided, a story published, sent back or flagged; the editors' digest). It
writes one inbox entry per person and, for each who has an address and has not turned e-mail
off, enqueues :func:`send_notification_email` in the same transaction: the mail goes out only
if what it announces was committed. The job is idempotent (``emailed_at``); e-mail is sent at
least once, and at most twice if a worker dies between sending and recording it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.jobs import job
from newsroom.models import Notification, NotificationPreference


def email_wanted(user: AbstractBaseUser) -> bool:
    return not NotificationPreference.objects.filter(user_id=user.pk, email=False).exists()


def notify(
    *,
    recipients: Iterable[AbstractBaseUser | None],
    kind: str,
    message: str,
    url: str = "",
) -> list[Notification]:
    """An inbox entry for each active recipient (once each), and an e-mail job for those who
    want e-mail. Call it inside the transaction of the change it announces."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    opted_out = set(
        NotificationPreference.objects.filter(user_id__in=people, email=False).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    created = Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, message=message[:1000], url=url, created_at=now)
        for pk in people
    )
    for notification in created:
        person = people[notification.recipient_id]
        if notification.recipient_id not in opted_out and getattr(person, "email", ""):
            send_notification_email.enqueue(notification.pk)
    return created


def absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


@job(max_attempts=5)
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification to its recipient, unless sent already or e-mail is now off."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id)
    found = notification.first()
    if found is None or found.emailed_at is not None:
        return "nothing to send"
    recipient = found.recipient
    if not recipient.email or not email_wanted(recipient):
        return "e-mail is off"
    body = found.message
    if found.url:
        body += "\n\n" + absolute(found.url)
    body += "\n\n" + _("Turn these e-mails off on your desk inbox: %(url)s") % {
        "url": absolute("/desk/inbox/")
    }
    send_mail(
        subject=_("[Newsroom] %(message)s") % {"message": found.message[:100]},
        message=body,
        from_email=None,  # DEFAULT_FROM_EMAIL
        recipient_list=[recipient.email],
    )
    notification.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    return "sent"
