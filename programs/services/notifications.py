"""The outbox: record a notification with the change that causes it, send it afterwards.

:func:`notify` writes one row per recipient inside the caller's transaction and asks a worker to
send it once the transaction commits. If the broker is down at that moment nothing is lost: the
row waits, and the periodic sweeper sends it later. :func:`deliver` claims the row under a lock
and marks it sent in the same transaction as the send, so two workers (or a retried task) never
both send it.

Only the mail server's answer is worth retrying. A message that cannot be built (a template
missing, an address that is not one) would fail the same way every time, so it fails once: it is
marked failed with the reason, logged at ERROR and listed in the admin's outbox.
"""

import hashlib
import logging
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from programs.models import DeliveryStatus, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
SWEEP_AFTER = timedelta(minutes=2)

# kind -> function(notification) -> [(filename, content, mimetype)]; features register theirs.
ATTACHMENTS: dict[str, Callable[[Notification], list[tuple[str, bytes, str]]]] = {}


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


def notify(
    *,
    kind: str,
    recipients: Iterable[User | str],
    subject: models.Model,
    event: str,
    title: str,
    link: str = "",
    context: dict | None = None,
) -> list[Notification]:
    """Queue one message per recipient (a person, or an e-mail address for customers).

    ``event`` names the occurrence (e.g. the approval step's id and level), so recording the
    same event again, from a retried job say, adds nothing.
    """
    created = []
    seen: set[str] = set()
    for recipient in recipients:
        user = recipient if isinstance(recipient, User) else None
        email = (user.email if user else str(recipient)).strip().lower()
        if not email or email in seen or (user is not None and not user.is_active):
            continue
        seen.add(email)
        key = _key(kind, subject, event, email)
        notification, was_created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "recipient": user,
                "email": email,
                "subject_type": subject._meta.model_name,
                "subject_id": str(subject.pk),
                "title": header_text(title)[:200],
                "link": link,
                "context": context or {},
            },
        )
        if was_created:
            created.append(notification)
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: enqueue(ids))
    return created


def enqueue(notification_ids: list[int]) -> None:
    """Hand rows to the worker. A broker outage is logged, not raised: the sweeper catches up.

    The first failure ends the attempt: every further publish would hold the request for the
    broker's timeouts again, and the rows wait safely in the outbox either way.
    """
    # The tasks module imports the services; importing it here, at call time, breaks the cycle.
    from programs.tasks import deliver_notification

    for position, notification_id in enumerate(notification_ids):
        try:
            deliver_notification.delay(notification_id)
        except Exception:
            log.warning(
                "Could not queue notifications %s; the sweeper will send them.",
                ", ".join(map(str, notification_ids[position:])),
            )
            return


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


def resolve_notifications(
    *,
    kind: str,
    subject: models.Model,
    resolution: str,
    keep: Iterable[int] = (),
    now: datetime | None = None,
) -> int:
    """Mark what was said about ``subject`` as settled, saying how: it no longer counts as new.

    Call inside the transaction that settles it (after that change's row locks: notifications
    come last in programs/locking.py). ``keep`` names recipients it still asks something of,
    such as the approvers of a step that moved. Already resolved notifications keep the
    resolution they were given first.
    """
    return (
        Notification.objects.filter(kind=kind, resolved_at__isnull=True)
        .about(subject)
        .exclude(recipient_id__in=list(keep))
        .update(resolved_at=now or timezone.now(), resolution=header_text(resolution)[:200])
    )


@transaction.atomic
def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


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
    for filename, content, mimetype in ATTACHMENTS.get(notification.kind, lambda _notification: [])(
        notification
    ):
        message.attach(filename, content, mimetype)
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


def _key(kind: str, subject: models.Model, event: str, email: str) -> str:
    key = f"{kind}:{subject._meta.model_name}:{subject.pk}:{event}:{email}"
    if len(key) <= 200:
        return key
    return f"{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
