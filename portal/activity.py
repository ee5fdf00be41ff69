"""Which requests count as a person's activity for the session's idle limit
(programs/identity/sessions). A page's background poll does not: the notification bell asks
every NOTIFICATION_POLL_SECONDS, and an open tab left alone on a shared desk must still let its
session go idle."""

from collections.abc import Callable


def background_poll(view: Callable) -> Callable:
    """Mark a view that pages call by themselves, without the person doing anything."""
    view.is_background_poll = True
    return view


def is_background_poll(view: Callable) -> bool:
    return getattr(view, "is_background_poll", False)
