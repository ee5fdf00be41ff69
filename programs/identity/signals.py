"""Each sign-in through the identity provider applies the group claim (sso/groups.py); each
wrong two-factor code counts as a failed sign-in."""

import contextlib

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authentication_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from programs.identity.sso import admission, groups


@receiver(user_logged_in, dispatch_uid="identity.apply_sso_groups")
def apply_sso_groups(*, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None:
        return
    found = groups.groups_in(admission.claims_of(sociallogin.account.extra_data))
    if found is not None:
        groups.apply_groups(person=user, groups=found)


@receiver(authentication_failed, dispatch_uid="identity.count_wrong_codes")
def count_wrong_code_as_failed_login(*, request, user, **kwargs) -> None:
    """A wrong code, at the login page's code step or the token API, fills the account's
    ``login_failed`` count as a wrong password does (docs/security.md#sign-in-limits): whoever
    holds the password still has only so many guesses at the code. Once the account is locked
    there is nothing more to count."""
    with contextlib.suppress(ValidationError):
        get_account_adapter(request).pre_authenticate(request, email=user.email)
