"""The outbox: record a notification with the change that causes it, send it afterwards.

:func:`notify` writes one row per recipient inside the caller's transaction and asks a worker to
send it once the transaction commits (:mod:`programs.notifications.outbox`). If the broker is
down at that moment nothing is lost: the row waits, and the periodic sweeper sends it later.
Sending, exactly once, is :mod:`programs.notifications.delivery`.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from programs.notifications.delivery import header_text
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.notices import Notice
from programs.notifications.outbox import enqueue


def notify(
    *,
    notice: Notice,
    recipients: Iterable[User | str],
    subject: models.Model,
    event: str,
    by_email: bool = True,
) -> list[Notification]:
    """Queue ``notice`` once per recipient (a person, or an e-mail address for customers).

    ``event`` names the occurrence (e.g. the approval step's id and level), so recording the
    same event again, from a retried job say, adds nothing. With ``by_email=False`` the bell
    shows it and no e-mail is sent (it needs a person as recipient).
    """
    created = []
    seen: set[str] = set()
    for recipient in recipients:
        user = recipient if isinstance(recipient, User) else None
        email = (user.email if user else str(recipient)).strip().lower()
        if not email or email in seen or (user is not None and not user.is_active):
            continue
        seen.add(email)
        key = _key(notice.kind, subject, event, email)
        notification, was_created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "kind": notice.kind,
                "recipient": user,
                "email": email,
                "subject_type": subject._meta.model_name,
                "subject_id": str(subject.pk),
                "title": header_text(notice.title)[:200],
                "link": notice.link,
                "context": notice.context,
                "attachments": [attachment.as_stored() for attachment in notice.attachments],
                "email_status": DeliveryStatus.PENDING if by_email else DeliveryStatus.NOT_EMAILED,
            },
        )
        if was_created:
            created.append(notification)
    if created and by_email:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: enqueue(ids))
    return created


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
    come last in portal/locking.py). ``keep`` names recipients it still asks something of,
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
def mark_notifications_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def _key(kind: str, subject: models.Model, event: str, email: str) -> str:
    key = f"{kind}:{subject._meta.model_name}:{subject.pk}:{event}:{email}"
    if len(key) <= 200:
        return key
    return f"{kind}:{hashlib.sha256(key.encode()).hexdigest()}"
