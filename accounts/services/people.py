"""Changes to people, teams and roles. Each function is one transaction; every change of a
role or membership writes its audit entry."""

from django.db import transaction

from accounts.models import Membership, OrgRole, RoleName, Team, TeamRole, User
from accounts.permissions import forget_access
from programs import audit
from programs.audit import AuditAction


@transaction.atomic
def create_person(
    *, email: str, name: str, password: str | None = None, is_active: bool = True
) -> User:
    """Create a person who logs in with ``email``. Without a password they must reset it."""
    user = User.objects.create_user(email=email, password=password, name=name, is_active=is_active)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_team(*, name: str, parent: Team | None = None) -> Team:
    team = Team(name=name, parent=parent)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def set_membership(
    *, user: User, team: Team, role: TeamRole | str, actor: User | None = None
) -> Membership:
    """Place a person in a team with the given role, changing the role if already there."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, team=team, defaults={"role": role}
    )
    before = None if created else membership.role
    if not created and membership.role != role:
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    if before != role:
        audit.record(
            action=AuditAction.MEMBERSHIP_CHANGED,
            actor=actor,
            subject=user,
            data={"team": team.pk, "before": before, "after": str(role)},
        )
    forget_access(user)
    return membership


@transaction.atomic
def remove_membership(*, user: User, team: Team, actor: User | None = None) -> None:
    removed = Membership.objects.filter(user=user, team=team).first()
    if removed is None:
        return
    removed.delete()
    audit.record(
        action=AuditAction.MEMBERSHIP_CHANGED,
        actor=actor,
        subject=user,
        data={"team": team.pk, "before": removed.role, "after": None},
    )
    forget_access(user)


@transaction.atomic
def grant_role(*, user: User, role: RoleName | str, granted_by: User | None = None) -> OrgRole:
    """Give an organisation-wide role. The admin role also opens the Django admin."""
    org_role, created = OrgRole.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": granted_by}
    )
    if role == RoleName.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if created:
        audit.record(
            action=AuditAction.ROLE_GRANTED,
            actor=granted_by,
            subject=user,
            data={"role": str(role)},
        )
    forget_access(user)
    return org_role


@transaction.atomic
def revoke_role(*, user: User, role: RoleName | str, actor: User | None = None) -> None:
    deleted, _ = OrgRole.objects.filter(user=user, role=role).delete()
    if role == RoleName.ADMIN:
        user.is_staff = False
        user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    if deleted:
        audit.record(
            action=AuditAction.ROLE_REVOKED, actor=actor, subject=user, data={"role": str(role)}
        )
    forget_access(user)
