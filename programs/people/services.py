"""Changes to people, teams and roles. Each function is one transaction and writes its audit
entry in that transaction.

Who acts: every change takes ``actor``, the person doing it, and refuses (``NotPermitted``)
what they may not do. ``actor=None`` means the system itself (seeding, data migrations, jobs),
which may do anything; pages and the admin always pass the signed-in person.

The rules: the ``admin`` and ``finance`` roles open the admin site and the money, so only an
administrator (a superuser or a holder of the ``admin`` role) grants or revokes them, gives
access to the admin site, sets someone else's password, changes an administrator's, finance
person's or other staff member's account (its e-mail address is where a password reset goes),
and grants the people capability (``programs.people.access``). Holders of that capability (HR)
deactivate and reactivate everyone else. Other changes need the matching model permission, as
the admin site itself asks for it, so a back-office person can run teams and ordinary roles.
"""

from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from accounts.models import Membership, OrgRole, RoleName, Team, TeamRole, User
from accounts.permissions import access_for, forget_access
from portal.errors import NotPermitted
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.services.delegations import switch_off_person
from programs.people.access import (
    GROUP_PERMISSIONS,
    PEOPLE_GROUP,
    forget_permissions,
    may_manage_people,
)
from programs.people.signals import person_deactivating

# Roles that only an administrator may grant or revoke.
PRIVILEGED_ROLES = frozenset({RoleName.ADMIN, RoleName.FINANCE})
# What a person's account may be changed in, through update_person.
PERSON_FIELDS = ("email", "name", "is_staff")


def is_administrator(actor: User | None) -> bool:
    """The system, a superuser, or a holder of the ``admin`` role (and active)."""
    return actor is None or access_for(actor).is_admin


def check_may_change_role(*, actor: User | None, role: RoleName | str, grant: bool) -> None:
    """Refuse unless ``actor`` may grant (``grant=True``) or revoke the role."""
    if role in PRIVILEGED_ROLES and not is_administrator(actor):
        raise NotPermitted(
            f"Only an administrator may grant or revoke the {RoleName(role).label} role.",
            field_errors={"role": ["Only an administrator may grant or revoke this role."]},
        )
    _require(actor, "accounts.add_orgrole" if grant else "accounts.delete_orgrole")


def may_change_person(*, actor: User | None, person: User) -> bool:
    """Whether ``actor`` may change this person's account (their e-mail, name, password...).

    Someone else's administrator, finance or staff account is for administrators only: whoever
    changes its e-mail address can take it over with a password reset.
    """
    if is_administrator(actor) or actor.pk == person.pk:
        return True
    return not is_protected_account(person)


def is_protected_account(person: User) -> bool:
    """An administrator's, finance person's or other staff member's account."""
    return (
        person.is_staff
        or person.is_superuser
        or OrgRole.objects.filter(user=person, role__in=PRIVILEGED_ROLES).exists()
    )


def check_may_set_password(*, actor: User | None, person: User) -> None:
    """A person may set their own password; only an administrator sets someone else's."""
    if actor is not None and actor.pk == person.pk:
        return
    if not is_administrator(actor):
        raise NotPermitted("Only an administrator may set someone else’s password.")


@transaction.atomic
def create_person(
    *,
    email: str,
    name: str,
    password: str | None = None,
    is_active: bool = True,
    actor: User | None,
    via: dict | None = None,
) -> User:
    """Create a person who logs in with ``email``. Without a password they must reset it (or
    sign in with SSO). ``via`` says in the audit entry what acted for the system (an
    invitation, an import, a provisioning token)."""
    _require(actor, "accounts.add_user")
    user = User.objects.create_user(email=email, password=password, name=name, is_active=is_active)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    trail.record(
        action=AuditAction.PERSON_CREATED,
        actor=actor,
        subject=user,
        data={"email": user.email, **(via or {})},
    )
    return user


@transaction.atomic
def update_person(
    *,
    person: User,
    actor: User | None,
    email: str | None = None,
    name: str | None = None,
    is_staff: bool | None = None,
    via: dict | None = None,
) -> User:
    """Change a person's e-mail address, name or access to the admin site (``None``: leave it).

    Returns early, writing nothing, when nothing changes. The audit entry keeps the fields that
    changed, before and after.
    """
    _require(actor, "accounts.change_user")
    locked = User.objects.select_for_update().get(pk=person.pk)
    if not may_change_person(actor=actor, person=locked):
        raise NotPermitted("Only an administrator may change this person’s account.")
    wanted = {"email": email, "name": name, "is_staff": is_staff}
    changes = {
        field: value
        for field, value in wanted.items()
        if value is not None and getattr(locked, field) != value
    }
    if "is_staff" in changes and not is_administrator(actor):
        raise NotPermitted(
            "Only an administrator may give or take away access to the admin site.",
            field_errors={"is_staff": ["Only an administrator may change this."]},
        )
    if not changes:
        return locked
    before = {field: getattr(locked, field) for field in changes}
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=list(changes))
    trail.record(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        subject=locked,
        data={
            "before": before,
            "after": {field: getattr(locked, field) for field in changes},
            **(via or {}),
        },
    )
    _refresh(person, locked, *changes)
    return locked


@transaction.atomic
def set_password(*, person: User, password: str | None, actor: User | None) -> User:
    """Set a person's password (``None`` switches password sign-in off for them).

    Their other sessions end, as the session is bound to the password. The audit entry says
    only whether a password is usable, never anything about it.
    """
    check_may_set_password(actor=actor, person=person)
    locked = User.objects.select_for_update().get(pk=person.pk)
    if password is None:
        locked.set_unusable_password()
    else:
        locked.set_password(password)
    locked.save(update_fields=["password"])
    trail.record(
        action=AuditAction.PERSON_PASSWORD_SET,
        actor=actor,
        subject=locked,
        data={"usable": password is not None},
    )
    _refresh(person, locked, "password")
    return person


@transaction.atomic
def deactivate_person(*, person: User, actor: User | None, via: dict | None = None) -> int:
    """Switch someone's account off: they cannot log in, their sessions end, their API token
    is deleted and their personal API tokens revoked (``person_deactivating``) at once, and
    their open approval requests move to someone who can decide (``programs.empowerment``).
    Returns how many requests moved; 0 when already inactive.

    An administrator or HR (the people capability) does it; HR not to an administrator's,
    finance person's or staff account. ``actor=None`` is the system or an identity provider
    (``via`` then names it in the audit entry).
    """
    if actor is not None:
        _check_may_switch(actor=actor, person=person, verb="deactivate")
    if not person.is_active:
        return 0
    ended = end_sessions(person)
    ended_above = {}
    for _receiver, what in person_deactivating.send(sender=None, person=person, actor=actor):
        ended_above.update(what)
    moved = switch_off_person(
        person=person, actor=actor, via={**(via or {}), "sessions_ended": ended, **ended_above}
    )
    forget_permissions(person)
    return moved


def end_sessions(person: User) -> int:
    """End every session the person has signed in with (allauth keeps a list of them), so the
    next request of each is anonymous. Sessions opened some other way hold no power either:
    authentication refuses an inactive person on every request."""
    sessions = list(UserSession.objects.filter(user=person))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def reactivate_person(*, person: User, actor: User | None, via: dict | None = None) -> User:
    """Switch a deactivated account on again. Their roles and teams are as they were left;
    approvals reassigned when they left stay with whoever has them.

    An administrator or HR (not for an administrator's, finance person's or staff account);
    ``actor=None`` is the system or an identity provider, named by ``via``.
    """
    if actor is not None:
        _check_may_switch(actor=actor, person=person, verb="reactivate")
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.is_active:
        return locked
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    trail.record(
        action=AuditAction.PERSON_REACTIVATED,
        actor=actor,
        subject=locked,
        data={"email": locked.email, **(via or {})},
    )
    _refresh(person, locked, "is_active")
    forget_access(person)
    return person


def check_may_reactivate(*, actor: User, person: User) -> None:
    _check_may_switch(actor=actor, person=person, verb="reactivate")


def _check_may_switch(*, actor: User, person: User, verb: str) -> None:
    if not may_manage_people(actor):
        raise NotPermitted(f"Only administrators and people managers {verb} people.")
    if not may_change_person(actor=actor, person=person):
        raise NotPermitted(f"Only an administrator may {verb} this person.")


def holds_people_capability(person: User) -> bool:
    return person.groups.filter(name=PEOPLE_GROUP).exists()


@transaction.atomic
def set_people_capability(*, person: User, holds: bool, actor: User | None) -> bool:
    """Give (``holds=True``) or take away the people capability; only an administrator does.
    Returns whether anything changed; audited as the role ``people``."""
    if not is_administrator(actor):
        raise NotPermitted("Only an administrator gives or takes away people management.")
    group = people_group()
    if holds_people_capability(person) == holds:
        return False
    if holds:
        person.groups.add(group)
    else:
        person.groups.remove(group)
    trail.record(
        action=AuditAction.ROLE_GRANTED if holds else AuditAction.ROLE_REVOKED,
        actor=actor,
        subject=person,
        data={"role": "people"},
    )
    forget_permissions(person)
    return True


def people_group() -> Group:
    """The "People managers" group with its permissions, made the first time it is needed
    (Django creates permissions after the migrations, so no migration can fill it)."""
    group, created = Group.objects.get_or_create(name=PEOPLE_GROUP)
    if created:
        wanted = Q(pk__in=[])
        for permission in GROUP_PERMISSIONS:
            app_label, codename = permission.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


@transaction.atomic
def create_team(*, name: str, parent: Team | None = None) -> Team:
    team = Team(name=name, parent=parent)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def rename_team(*, team: Team, name: str) -> Team:
    locked = Team.objects.select_for_update().get(pk=team.pk)
    locked.name = name
    locked.full_clean()
    locked.save(update_fields=["name"])
    return locked


@transaction.atomic
def set_membership(
    *,
    user: User,
    team: Team,
    role: TeamRole | str,
    actor: User | None,
    via: dict | None = None,
) -> Membership:
    """Place a person in a team with the given role, changing the role if already there."""
    there = Membership.objects.filter(user=user, team=team).exists()
    _require(actor, "accounts.change_membership" if there else "accounts.add_membership")
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, team=team, defaults={"role": role}
    )
    before = None if created else membership.role
    if not created and membership.role != role:
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    if before != role:
        trail.record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=actor,
            subject=user,
            data={"team": team.pk, "before": before, "after": str(role), **(via or {})},
        )
    forget_access(user)
    return membership


@transaction.atomic
def remove_membership(
    *, user: User, team: Team, actor: User | None, via: dict | None = None
) -> None:
    _require(actor, "accounts.delete_membership")
    removed = Membership.objects.select_for_update().filter(user=user, team=team).first()
    if removed is None:
        return
    removed.delete()
    trail.record(
        action=AuditAction.MEMBERSHIP_CHANGED,
        actor=actor,
        subject=user,
        data={"team": team.pk, "before": removed.role, "after": None, **(via or {})},
    )
    forget_access(user)


@transaction.atomic
def grant_role(
    *, user: User, role: RoleName | str, actor: User | None, via: dict | None = None
) -> OrgRole:
    """Give an organisation-wide role. The admin role also opens the Django admin.

    Only an administrator grants ``admin`` or ``finance``; ``actor=None`` is the system.
    """
    check_may_change_role(actor=actor, role=role, grant=True)
    org_role, created = OrgRole.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if role == RoleName.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if created:
        trail.record(
            action=AuditAction.ROLE_GRANTED,
            actor=actor,
            subject=user,
            data={"role": str(role), **(via or {})},
        )
    forget_access(user)
    return org_role


@transaction.atomic
def revoke_role(*, user: User, role: RoleName | str, actor: User | None) -> None:
    """Take an organisation-wide role away (the admin role also closes the Django admin).

    Only an administrator revokes ``admin`` or ``finance``; ``actor=None`` is the system.
    """
    check_may_change_role(actor=actor, role=role, grant=False)
    deleted, _ = OrgRole.objects.filter(user=user, role=role).delete()
    if role == RoleName.ADMIN:
        user.is_staff = False
        user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    if deleted:
        trail.record(
            action=AuditAction.ROLE_REVOKED, actor=actor, subject=user, data={"role": str(role)}
        )
    forget_access(user)


def _require(actor: User | None, permission: str) -> None:
    if actor is None or access_for(actor).is_admin or actor.has_perm(permission):
        return
    raise NotPermitted("You do not have permission to make this change.")


def _refresh(person: User, locked: User, *fields: str) -> None:
    """Bring the caller's copy up to date with what was saved."""
    if person is not locked:
        for field in fields:
            setattr(person, field, getattr(locked, field))
