from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import access_for
from portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    access = access_for(user)
    return {
        "access": access,
        # Counted only when a page shows the bell: one query, not one per notification.
        "unread_notifications": SimpleLazyObject(lambda: _unread(access.user_id)),
        # An htmx fragment has no navigation, so it need not count what waits in the queues.
        "navigation": navigation_for(request, access)
        if access.user_id and not getattr(request, "htmx", False)
        else [],
    }


def _unread(user_id: int | None) -> int:
    from programs.models import Notification

    if user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
