"""Two-factor authentication: who must use it, and checking a code outside the login page.

django-allauth's MFA keeps the authenticators (``allauth.mfa``) and runs the login page's code
step; the portal decides who must enrol (:attr:`Access.needs_two_factor`, from
``MFA_REQUIRED_ROLES``) and, for the token API, checks a code with allauth's own form, so a
TOTP code works once and a recovery code is spent, exactly as at the login page.
"""

from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import access_for


def has_two_factor(user) -> bool:
    """An authenticator app or a security key (recovery codes alone do not count)."""
    return is_mfa_enabled(user, types=["totp", "webauthn"])


def must_enrol(user) -> bool:
    """Someone whose role needs a second factor and who has none yet."""
    return access_for(user).needs_two_factor and not has_two_factor(user)


def enrolment_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("mfa_activate_totp"))


def enrolment_refusal(request: HttpRequest) -> str:
    """What a person who must enrol first is told wherever they are refused."""
    return (
        "Your role requires two-factor authentication. Set up an authenticator app at "
        f"{enrolment_url(request)} first."
    )


class CodeRefused(Exception):
    """The code is wrong or already used (``reason="incorrect_code"``), or too many wrong codes
    came in a row (``reason="too_many_login_attempts"``)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def check_code(*, user, code: str) -> None:
    """Accept a TOTP code, or an unused recovery code (which is then spent), or raise
    :class:`CodeRefused`. A wrong code counts as a failed sign-in (programs/identity/signals.py
    counts allauth's ``authentication_failed`` into the account's ``login_failed`` limit)."""
    form = BaseAuthenticateForm(data={"code": code}, user=user)
    if not form.is_valid():
        error = form.errors.as_data()["code"][0]
        raise CodeRefused(error.messages[0], reason=error.code or "incorrect_code")
    form.authenticator.record_usage()
