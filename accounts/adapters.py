import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from typing_extensions import override

from portal.clients import client_ip


class PortalAccountAdapter(DefaultAccountAdapter):
    """An intranet: people are created by an admin, never by signing themselves up.

    Sign-in is guarded by allauth's ``login_failed`` rate limit (``ACCOUNT_RATE_LIMITS``), and
    the token API authenticates through :meth:`authenticate` as well, so guesses at the login
    page and at ``POST /api/v1/auth/token/`` fill one count per account, under one rule.
    """

    @override
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    @override
    def authenticate(self, request: HttpRequest, **credentials):
        """With ``PASSWORD_LOGIN`` off, a password signs in a superuser only (break-glass, see
        docs/security.md), at the login page and the token API alike; for anyone else the
        answer is that of a wrong password, so it tells nothing about the password."""
        user = super().authenticate(request, **credentials)
        if user is not None and not settings.PASSWORD_LOGIN and not user.is_superuser:
            return None
        return user

    @override
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Two-factor settings (enrolling, removing, new recovery codes) need a proof of who
        this is from the last few minutes (``ACCOUNT_REAUTHENTICATION_TIMEOUT``): signing in
        counts, so someone sent to enrolment straight after signing in is not asked for their
        password again, and a person who signs in only through the identity provider, who has
        no password to give, can enrol at all. Later, allauth asks again, as for the rest."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._signed_in_just_now():
            return False
        return required

    def _signed_in_just_now(self) -> bool:
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        records = get_authentication_records(request, request.user)
        return bool(records) and (
            time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        )

    @override
    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """A sign-in refused by the rate limit never reaches ``authenticate``, so Django sends
        no ``user_login_failed`` for it: send it here, marked ``rate_limited``, so the refusal
        is recorded with the other failures (programs/identity/signins)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as refusal:
            if refusal.code == "too_many_login_attempts":
                user_login_failed.send(
                    sender=type(self),
                    credentials={"email": credentials.get("email", "")},
                    request=request,
                    rate_limited=True,
                )
            raise

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    @override
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # allauth prefixes the login with the request's host name, so every name the portal
        # answers to (ALLOWED_HOSTS) would get its own allowance of guesses. One account is
        # one account: the key is the address alone, compared without regard to case.
        return credentials.get("email", credentials.get("username", "")).strip().lower()
