"""Recording sign-in events, and forgetting old ones.

Recording never fails a sign-in for want of a detail: no request (a job, a provisioning call)
means no address or browser. Nothing secret is ever passed in, so nothing secret is stored.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from portal.clients import client_ip
from programs.identity.signins.models import (
    EMAIL_LENGTH,
    USER_AGENT_LENGTH,
    EventKind,
    Method,
    SignInEvent,
)


def record_sign_in_event(
    *,
    kind: EventKind,
    method: Method,
    request: HttpRequest | None,
    person: User | None = None,
    email: str = "",
    detail: str = "",
) -> SignInEvent:
    """Write one event. ``email`` is kept only when the event names no person (a failure for
    an address nobody has): lower-cased and cut to the column's length."""
    ip = client_ip(request) if request is not None else "unknown"
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInEvent.objects.create(
        person=person,
        kind=kind,
        method=method,
        detail=detail[:100],
        ip=None if ip == "unknown" else ip,
        user_agent=_printable(agent)[:USER_AGENT_LENGTH],
        email="" if person is not None else email.strip().lower()[:EMAIL_LENGTH],
    )


def delete_old_sign_in_events(*, days: int | None = None) -> int:
    """Delete the events older than ``days`` (``SIGN_IN_EVENT_RETENTION_DAYS``); how many."""
    days = settings.SIGN_IN_EVENT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = SignInEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def _printable(text: str) -> str:
    # A header may carry control characters; the page shows the text, never interprets it.
    return "".join(c if c.isprintable() else " " for c in text)
