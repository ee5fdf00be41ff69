"""Sign-in events from the signals of Django, allauth and accounts, so that no view needs to
know about them:

- allauth's ``user_logged_in``: a sign-in at the login page (password) or through the identity
  provider (``sociallogin``), sent once every step (a second factor too) is done;
- accounts' ``api_token_issued``: a token from ``POST /api/v1/auth/token/``;
- Django's ``user_login_failed``: a wrong password, an unknown address or a deactivated person,
  at the login page or the token API (``authenticate`` sends it), and a refusal by the rate
  limit (``rate_limited``, sent by accounts' adapter);
- Django's ``user_logged_out``: signing out, or a session ended by its limits
  (``programs.identity.sessions``);
- allauth.mfa's ``authenticator_added`` / ``_removed`` / ``_reset`` / ``authentication_failed``.
"""

from allauth.account.signals import user_logged_in as allauth_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import User
from accounts.signals import api_token_issued
from programs.identity.signins.models import EventKind, Method
from programs.identity.signins.services import record_sign_in_event

# The name of the token API's route (portal/api/urls.py).
TOKEN_API_ROUTE = "auth-token"  # noqa: S105 — a route's name, not a secret
# Set on a request by the session limits when they end its session: why ("idle", "max_age").
EXPIRY_REASON = "identity_session_expired"


def _is_token_api(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == TOKEN_API_ROUTE


@receiver(allauth_logged_in, dispatch_uid="identity.record_sign_in")
def record_sign_in(*, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is not None:
        method, detail = Method.SSO, sociallogin.account.provider
    else:
        method, detail = Method.PASSWORD, ""
    record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=method, request=request, person=user, detail=detail
    )


@receiver(api_token_issued, dispatch_uid="identity.record_token_api_sign_in")
def record_token_api_sign_in(*, request, user, **kwargs) -> None:
    record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=Method.TOKEN_API, request=request, person=user
    )


@receiver(user_login_failed, dispatch_uid="identity.record_failure")
def record_failure(*, credentials, request=None, rate_limited=False, **kwargs) -> None:
    """Never the password (Django masks it in ``credentials`` anyway): the address entered,
    to find the person, or kept as entered when it is nobody's."""
    email = str(credentials.get("email") or credentials.get("username") or "").strip()
    if not email:
        return
    person = User.objects.filter(email__iexact=email).first()
    record_sign_in_event(
        kind=EventKind.RATE_LIMITED if rate_limited else EventKind.SIGN_IN_FAILED,
        method=Method.TOKEN_API if _is_token_api(request) else Method.PASSWORD,
        request=request,
        person=person,
        email=email,
    )


@receiver(user_logged_out, dispatch_uid="identity.record_sign_out")
def record_sign_out(*, request, user, **kwargs) -> None:
    if user is None:  # nobody was signed in
        return
    reason = getattr(request, EXPIRY_REASON, "")
    record_sign_in_event(
        kind=EventKind.SESSION_EXPIRED if reason else EventKind.SIGNED_OUT,
        method=Method.SESSION,
        request=request,
        person=user,
        detail=reason,
    )


def _mfa_event(kind: EventKind):
    def record(*, request, user, authenticator, **kwargs) -> None:
        record_sign_in_event(
            kind=kind,
            method=Method.MFA,
            request=request,
            person=user,
            detail=authenticator.type,
        )

    return record


for _signal, _kind in (
    (authenticator_added, EventKind.MFA_ADDED),
    (authenticator_removed, EventKind.MFA_REMOVED),
    (authenticator_reset, EventKind.MFA_RESET),
    (authentication_failed, EventKind.MFA_FAILED),
):
    _signal.connect(_mfa_event(_kind), dispatch_uid=f"identity.record_{_kind}", weak=False)
