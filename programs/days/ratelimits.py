"""Limits on what customers may ask for without an account, kept by django-allauth's limiter,
which also limits sign-in attempts and password resets (``ACCOUNT_RATE_LIMITS`` in settings).

It counts in the cache: Redis, or each process's memory while Redis is down (portal.cache), so
the limits hold through an outage. Client addresses come from portal.clients (the allauth
adapter asks it), so a forged X-Forwarded-For changes nothing.
"""

from allauth.core import ratelimit
from django.http import HttpRequest

RESEND_LINK = "resend_registration_link"


def may_resend_link(request: HttpRequest, *, email: str) -> bool:
    """Count one request for a lost private link, per client address and per e-mail address
    (``RESEND_LINK_RATE_LIMIT``); False once either has asked too often. It counts every
    request alike, registered address or not, so a refusal tells nothing about the address."""
    return ratelimit.consume(request, action=RESEND_LINK, key=email.strip().lower())
