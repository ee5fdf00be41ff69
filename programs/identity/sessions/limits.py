"""How long a browser session lasts: at most ``SESSION_IDLE_MINUTES`` without a request, and at
most ``SESSION_MAX_HOURS`` after its sign-in, whatever happens meanwhile.

Both times live in the session itself (seconds since the epoch), set when someone signs in.
The last activity is written back only when a minute or more has passed, so an ordinary request
does not write the session.
"""

import time
from enum import StrEnum

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from portal.clients import client_ip

SIGNED_IN_AT = "identity.signed_in_at"
SEEN_AT = "identity.seen_at"
# How stale the stored last activity may grow before a request writes it again.
SEEN_EVERY_SECONDS = 60


class Expiry(StrEnum):
    IDLE = "idle"
    MAX_AGE = "max_age"


def start(session, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="identity.start_session_clock")
def start_session_clock(*, request, user, **kwargs) -> None:
    """Every sign-in (Django's signal: allauth's pages, SSO, an accepted invitation, the test
    client's ``force_login``) starts both clocks.

    allauth lists the sessions it signs in itself; this lists the others too (an accepted
    invitation signs in without allauth), so "log out everywhere" and a deactivation end them.
    A sign-in with no client address (the test client's ``force_login``) is left unlisted.
    """
    start(request.session)
    if client_ip(request) != "unknown":
        UserSession.objects.create_from_request(request, user=user)


def expiry_of(session, *, now: float | None = None) -> Expiry | None:
    """Why this signed-in session must end now, or None. A session from before these limits
    (no times yet) starts its clocks now."""
    now = time.time() if now is None else now
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        start(session, now=now)
        return None
    if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return Expiry.MAX_AGE
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return Expiry.IDLE
    return None


def note_activity(session, *, now: float | None = None) -> None:
    """The person did something: move the last activity on, if it is a minute old or more
    (so that most requests do not write the session)."""
    now = time.time() if now is None else now
    seen_at = session.get(SEEN_AT)
    if not isinstance(seen_at, int | float) or now - seen_at >= SEEN_EVERY_SECONDS:
        session[SEEN_AT] = now


def explanation(expiry: Expiry) -> str:
    if expiry is Expiry.IDLE:
        minutes = settings.SESSION_IDLE_MINUTES
        return (
            f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} "
            "without activity. Please sign in again."
        )
    hours = settings.SESSION_MAX_HOURS
    return (
        f"You were signed out because you signed in more than {hours} "
        f"hour{'s' if hours != 1 else ''} ago. Please sign in again."
    )
