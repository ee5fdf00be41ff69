"""The bell: what the portal has told a person, and how much of it is new."""

from django.db.models import QuerySet

from programs.notifications.models import Notification


def new_count(user_id: int | None) -> int:
    """Unread notifications that still ask or tell something: one query on a partial index,
    asked by every open page every NOTIFICATION_POLL_SECONDS. Resolved ones do not count."""
    if user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=user_id).new().count()


def inbox(user_id: int) -> QuerySet[Notification]:
    """Everything the person was told, newest first. Each row says itself whether it was
    resolved and how, so a page of them costs one query however many are resolved."""
    return Notification.objects.filter(recipient_id=user_id).order_by("-created_at", "-id")
