from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import access_for
from portal.navigation import navigation_for
from programs.notifications.selectors import new_count


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    access = access_for(user)
    return {
        "access": access,
        # Counted only when a page shows the bell: one query, not one per notification.
        "unread_notifications": SimpleLazyObject(lambda: new_count(access.user_id)),
        "bell_poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
        # An htmx fragment has no navigation, so it need not count what waits in the queues.
        "navigation": navigation_for(request, access)
        if access.user_id and not getattr(request, "htmx", False)
        else [],
    }
