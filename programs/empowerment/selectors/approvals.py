"""Who may decide which approval request, and the inbox built from that."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Delegation, Membership, RoleName, TeamRole, User
from accounts.permissions import access_for
from portal.errors import NotPermitted
from programs.empowerment.models import ApprovalLevel, ApprovalRequest


def delegators_of(user: User, day: date) -> QuerySet[Delegation]:
    return Delegation.objects.active_on(day).filter(delegate=user, delegator__is_active=True)


def _delegations_for_team(user: User, team_id: int, day: date) -> QuerySet[Delegation]:
    """The delegations that let ``user`` decide for a manager of the team on ``day``."""
    return delegators_of(user, day).filter(
        delegator__memberships__team_id=team_id,
        delegator__memberships__role=TeamRole.MANAGER,
    )


def _decision_scope(user: User, day: date) -> Q:
    """The one approval scope, as a filter: manager steps of the teams the person manages or
    decides for through a delegation on ``day``, and finance steps for finance."""
    access = access_for(user)
    delegated_teams = Membership.objects.filter(
        role=TeamRole.MANAGER,
        user_id__in=delegators_of(user, day).values("delegator_id"),
    ).values("team_id")
    scope = Q(level=ApprovalLevel.MANAGER, team_id__in=access.managed_team_ids) | Q(
        level=ApprovalLevel.MANAGER, team_id__in=delegated_teams
    )
    if access.is_finance:
        scope |= Q(level=ApprovalLevel.FINANCE)
    return scope


def decidable_by(user: User, *, day: date | None = None) -> QuerySet[ApprovalRequest]:
    """Every pending request the person may decide today, oldest first; never their own."""
    if access_for(user).user_id is None:
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.pending()
        .filter(_decision_scope(user, day or timezone.localdate()))
        .exclude(requested_by=user)
        .with_context()
        .order_by("created_at", "id")
    )


def in_scope_of(user: User, *, day: date | None = None) -> QuerySet[ApprovalRequest]:
    """Every request, in any status, in the person's approval scope (as ``decidable_by``), and
    any step they were asked or decided. Never their own. Unordered: callers choose the order."""
    if access_for(user).user_id is None:
        return ApprovalRequest.objects.none()
    scope = (
        _decision_scope(user, day or timezone.localdate()) | Q(assignee=user) | Q(decided_by=user)
    )
    return ApprovalRequest.objects.filter(scope).exclude(requested_by=user).with_context()


def decision_right(actor: User, request: ApprovalRequest, *, day: date) -> User | None:
    """Whether ``actor`` may decide ``request``; returns the manager they act for, if a delegate.

    Nobody decides their own request, directly or through a delegate; a manager decides only
    for teams they manage, or for a manager who delegated to them for these dates; finance
    decides the second level.
    """
    if request.requested_by_id == actor.pk:
        raise NotPermitted("Nobody may decide their own request.")
    access = access_for(actor)
    if request.level == ApprovalLevel.FINANCE:
        if access.is_finance:
            return None
        raise NotPermitted("Only finance decides this request.")
    if access.manages(request.team_id):
        return None
    delegation = (
        _delegations_for_team(actor, request.team_id, day)
        .exclude(delegator_id=request.requested_by_id)
        .select_related("delegator")
        .first()
    )
    if delegation is None:
        raise NotPermitted("You do not manage this team and nobody has delegated it to you.")
    return delegation.delegator


def approval_for(user: User, approval_id: int) -> ApprovalRequest:
    """A request the person may decide now, or may see because it is about them; else 404."""
    try:
        request = ApprovalRequest.objects.with_context().get(pk=approval_id)
    except (ApprovalRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such approval request.") from None
    if user.pk in (request.requested_by_id, request.decided_by_id):
        return request
    if decidable_scope_includes(user, request):
        return request
    raise Http404("No such approval request.")


def decidable_scope_includes(user: User, request: ApprovalRequest) -> bool:
    """Whether the request falls in the person's approval scope, decided or not: the same rule
    as ``_decision_scope``, asked of one request."""
    access = access_for(user)
    if request.level == ApprovalLevel.FINANCE:
        return access.is_finance
    if access.manages(request.team_id):
        return True
    return _delegations_for_team(user, request.team_id, timezone.localdate()).exists()


def approvers_for(request: ApprovalRequest) -> list[User]:
    """Who hears that a step waits for them: its assignee (or every manager of the team), or
    every finance person for a finance step; never the requester."""
    if request.level == ApprovalLevel.FINANCE:
        people = User.objects.active().filter(org_roles__role=RoleName.FINANCE)
    elif request.assignee_id:
        people = User.objects.active().filter(pk=request.assignee_id)
    else:
        people = User.objects.active().filter(
            memberships__team_id=request.team_id, memberships__role=TeamRole.MANAGER
        )
    return list(people.exclude(pk=request.requested_by_id).distinct().order_by("pk"))
