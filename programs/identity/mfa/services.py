"""Enrolment outside the enrolment page: the demo's known secret (seed_demo) and the tests'.
People enrol themselves through allauth's pages; this uses allauth's own models to do the same."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import User


@transaction.atomic
def enrol_in_totp(*, person: User, secret: str) -> list[str]:
    """An authenticator app with this (base32) secret, and recovery codes, as the enrolment
    page gives. Someone already enrolled keeps their app. Returns the unused recovery codes."""
    User.objects.select_for_update().get(pk=person.pk)
    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, secret)
    return RecoveryCodes.activate(person).get_unused_codes()
