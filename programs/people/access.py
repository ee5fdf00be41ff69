"""Who may manage people in the portal: the one place that answers it.

Administrators may, and so may holders of the people capability (HR): the ``people.manage_people``
permission, held through the "People managers" group, which also carries the model permissions
the people services ask for (``programs.people.services._require``). It is a Django permission
rather than an organisation role, so that ``accounts`` (the lowest layer, which knows nothing of
this context) needs no new role; HR still cannot grant or revoke the admin and finance roles, nor
change an administrator's or finance person's account (``services.PRIVILEGED_ROLES``,
``services.may_change_person``).
"""

from django.http import Http404

from accounts.models import User
from accounts.permissions import access_for

PEOPLE_PERMISSION = "people.manage_people"
PEOPLE_GROUP = "People managers"
# What the group holds: the capability, and what the people services ask of a non-administrator.
GROUP_PERMISSIONS = (
    PEOPLE_PERMISSION,
    "accounts.add_user",
    "accounts.change_user",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
    "accounts.add_orgrole",
    "accounts.delete_orgrole",
)


def may_manage_people(user) -> bool:
    """An active administrator, or an active holder of the people capability."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return access_for(user).is_admin or user.has_perm(PEOPLE_PERMISSION)


def require_people_manager(user) -> None:
    """404 for whoever may not manage people: the pages do not exist for them."""
    if not may_manage_people(user):
        raise Http404


def person_for(user, person_id: int) -> User:
    """The person with this id, for someone who may manage people; otherwise 404."""
    require_people_manager(user)
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def forget_permissions(user) -> None:
    """Drop Django's cached permissions after a change of groups."""
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
