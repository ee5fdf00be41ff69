"""Sending the outbox: one notification at a time, exactly once.

:func:`deliver` claims a waiting row under a lock and marks it sent in the same transaction as
the send, so two workers (or a retried task) never both send it; :func:`sweep` sends what has
waited too long. Only the mail server's answer is worth retrying. A message that cannot be built
(a template missing, an address that is not one) would fail the same way every time, so it fails
once: it is marked failed with the reason, logged at ERROR and listed in the admin's outbox.

Nothing here records a notification (that is :mod:`programs.notifications.services`) or queues
one (:mod:`programs.notifications.outbox`), so this module imports neither.
"""

import logging
import unicodedata
from datetime import timedelta
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from programs.notifications.models import DeliveryStatus, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
SWEEP_AFTER = timedelta(minutes=2)

# Characters that reorder or hide text: harmless in a page, misleading in a subject line.
_INVISIBLE = {"\u061c", "\u200b", "\u200e", "\u200f", "\ufeff"} | {
    chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


class DeliveryFailed(Exception):
    """Sending failed this time; the task retries with backoff."""


def header_text(value: str) -> str:
    """User text made fit for one e-mail header line.

    Line breaks, tabs and other control characters become one space (so ``Summer\r\nParty``
    reads "Summer Party" and can never start a header of its own), direction overrides and
    zero-width characters go, and runs of spaces collapse.
    """
    kept = []
    for char in str(value):
        if char in _INVISIBLE:
            continue
        kept.append(" " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char)
    return " ".join("".join(kept).split())


def deliver(notification_id: int) -> bool:
    """Send one notification if it is still waiting; True when this call sent it."""
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notification_id, email_status=DeliveryStatus.PENDING)
            .select_related("recipient")
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        try:
            message = build_message(notification)
        except DatabaseError:
            # Not the message's fault: the claim rolls back and the sweeper tries again later.
            raise
        except Exception as error:
            # Building again would fail again: give up now, loudly, instead of six times.
            notification.email_status = DeliveryStatus.FAILED
            notification.last_error = (
                f"Could not build the e-mail: {type(error).__name__}: {error}"[:2000]
            )
            notification.save(update_fields=["attempts", "last_error", "email_status"])
            log.error(
                "Notification %s (%s) cannot be built and will not be sent: %s",
                notification.pk,
                notification.kind,
                notification.last_error,
            )
            return False
        try:
            message.send()
        except Exception as error:
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.email_status = DeliveryStatus.FAILED
                log.error("Gave up on notification %s: %s", notification.pk, error)
            else:
                failure = error
            notification.save(update_fields=["attempts", "last_error", "email_status"])
        else:
            notification.email_status = DeliveryStatus.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["attempts", "email_status", "sent_at"])
            return True
    # Raised after the commit, so the attempt and its error are kept for the retry.
    if failure is not None:
        raise DeliveryFailed(str(failure)) from failure
    return False


def sweep(*, now=None, limit: int = 500) -> int:
    """Send what has waited longer than it should (the broker was down, a worker died)."""
    now = now or timezone.now()
    waiting = list(
        Notification.objects.undelivered()
        .filter(created_at__lte=now - SWEEP_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for notification_id in waiting:
        try:
            sent += deliver(notification_id)
        except DeliveryFailed:
            continue
    return sent


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for one outbox row, checked as far as it can be without a mail server.

    User text reaches headers only through :func:`header_text` (the subject) or as a quoted
    display name (``To``); an address that is not one raises here, before any attempt to send.
    """
    context = {
        **notification.context,
        "notification": notification,
        "recipient_name": notification.recipient.name if notification.recipient else "",
        "link": f"{settings.PORTAL_BASE_URL}{notification.link}" if notification.link else "",
        "portal_url": settings.PORTAL_BASE_URL,
    }
    text = render_to_string(f"email/{notification.kind}.txt", context)
    html = render_to_string(f"email/{notification.kind}.html", context)
    message = EmailMultiAlternatives(
        subject=header_text(f"{settings.EMAIL_SUBJECT_PREFIX}{notification.title}"),
        body=text,
        to=[_recipient_address(notification)],
        headers={"X-Portal-Notification": header_text(notification.key)},
    )
    message.attach_alternative(html, "text/html")
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # Build the headers and the addresses as the mail server would get them, so that anything
    # wrong with the message itself shows now, not as a retried "server error".
    message.message()
    for address in message.recipients():
        sanitize_address(address, message.encoding or settings.DEFAULT_CHARSET)
    return message


def _recipient_address(notification: Notification) -> str:
    """``"Maya Lindqvist" <maya@example.com>``: the name quoted, the address checked (a line
    break or anything else that does not parse raises ``ValueError``)."""
    name = header_text(notification.recipient.name) if notification.recipient else ""
    return str(Address(display_name=name, addr_spec=notification.email))
