"""Who may do what: the one module that answers it.

Pages, the API, and templates (through the ``access`` context variable) all ask an
:class:`Access`, computed once per request from a person's team memberships and organisation
roles. A new capability is a property here, never a role check scattered in a view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from typing_extensions import override

from accounts.models import Membership, OrgRole, RoleName, TeamRole


class Role(StrEnum):
    AGENT = "agent"
    MANAGER = "manager"
    FINANCE = "finance"
    ORGANISER = "organiser"
    ADMIN = "admin"


ROLE_ORDER = list(Role)


@dataclass(frozen=True)
class TeamPlace:
    team_id: int
    team_name: str
    role: str


@dataclass(frozen=True)
class Access:
    """What one person may do, derived from their memberships and organisation roles."""

    user_id: int | None
    roles: frozenset[Role] = frozenset()
    teams: tuple[TeamPlace, ...] = field(default_factory=tuple)

    @property
    def is_agent(self) -> bool:
        return Role.AGENT in self.roles

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.roles

    @property
    def is_finance(self) -> bool:
        return Role.FINANCE in self.roles

    @property
    def is_organiser(self) -> bool:
        return Role.ORGANISER in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def managed_team_ids(self) -> frozenset[int]:
        return frozenset(p.team_id for p in self.teams if p.role == TeamRole.MANAGER)

    @property
    def agent_team_ids(self) -> frozenset[int]:
        return frozenset(p.team_id for p in self.teams if p.role == TeamRole.AGENT)

    def manages(self, team_id: int) -> bool:
        return team_id in self.managed_team_ids

    # Capabilities: what the navigation, pages and API ask, each by name.
    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def can_log_gestures(self) -> bool:
        return self.is_agent

    @property
    def can_approve(self) -> bool:
        return self.is_manager or self.is_finance

    @property
    def can_manage_teams(self) -> bool:
        """A manager: their teams' pages, people, allowances and budget."""
        return self.is_manager

    @property
    def can_delegate(self) -> bool:
        """A manager hands their approvals to another manager while away."""
        return self.is_manager

    @property
    def can_review_gestures(self) -> bool:
        return self.is_finance

    @property
    def sees_every_team(self) -> bool:
        """Finance and administrators see every team's budget, people and gestures; a manager
        sees only the teams they manage."""
        return self.is_finance or self.is_admin

    @property
    def can_allocate_budgets(self) -> bool:
        return self.sees_every_team

    @property
    def can_view_budgets(self) -> bool:
        return self.is_manager or self.can_allocate_budgets

    @property
    def can_request_topups(self) -> bool:
        return self.is_manager

    @property
    def can_organise_days(self) -> bool:
        return self.is_organiser or self.is_admin

    @property
    def can_view_audit(self) -> bool:
        return self.sees_every_team

    @property
    def can_read_team_insights(self) -> bool:
        """Team dashboards (unused empowerment): a manager's teams, or every team."""
        return self.is_manager or self.sees_every_team

    @property
    def can_moderate_stories(self) -> bool:
        """A manager (their teams' stories) or an administrator takes a story off the wall."""
        return self.is_manager or self.is_admin

    @property
    def can_administer(self) -> bool:
        return self.is_admin

    @property
    def needs_two_factor(self) -> bool:
        """Someone holding one of ``MFA_REQUIRED_ROLES`` (finance and admin unless configured
        otherwise) must sign in with a second factor, and reaches nothing until enrolled."""
        return any(role.value in settings.MFA_REQUIRED_ROLES for role in self.roles)

    @property
    def ordered_roles(self) -> list[str]:
        return [role.value for role in ROLE_ORDER if role in self.roles]


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The person's access, computed with two queries and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_portal_access", None)
    if cached is not None:
        return cached
    places = tuple(
        TeamPlace(team_id=m.team_id, team_name=m.team.name, role=m.role)
        for m in Membership.objects.filter(user=user).select_related("team").order_by("team__name")
    )
    roles: set[Role] = {Role(place.role) for place in places}
    roles.update(Role(r) for r in OrgRole.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    access = Access(user_id=user.pk, roles=frozenset(roles), teams=places)
    user._portal_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached access after a change of roles or memberships."""
    if hasattr(user, "_portal_access"):
        del user._portal_access


# A capability is one of Access's named properties (``Access.can_approve``), so every rule
# about who may do what is written once, in Access, and read here by name.
Capability = property


def _holds(capability: Capability, user) -> bool:
    return bool(capability.fget(access_for(user)))


def capability_required(capability: Capability) -> Callable:
    """View decorator: log in first, then 403 unless the person has the capability."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _holds(capability, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_capability(capability: Capability, name: str) -> type[BasePermission]:
    """A DRF permission class granting access to authenticated people with the capability."""

    class HasCapability(BasePermission):
        message = f"Only people who {name} may do this."

        @override
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and _holds(capability, user))

    HasCapability.__name__ = f"Can{name.title().replace(' ', '')}"
    return HasCapability


__all__ = [
    "ANONYMOUS",
    "Access",
    "Role",
    "RoleName",
    "access_for",
    "api_capability",
    "capability_required",
    "forget_access",
]
