"""Each sign-in through the identity provider applies the group claim (sso/groups.py)."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from programs.identity.sso import admission, groups


@receiver(user_logged_in, dispatch_uid="identity.apply_sso_groups")
def apply_sso_groups(*, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is None:
        return
    found = groups.groups_in(admission.claims_of(sociallogin.account.extra_data))
    if found is not None:
        groups.apply_groups(person=user, groups=found)
