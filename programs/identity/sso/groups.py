"""The group claim applied to roles and teams, at every sign-in through the identity provider.

``SSO_GROUP_MAP`` names groups and what each gives: organisation roles and team places (team by
name, role ``agent`` or ``manager``). A sign-in makes the person hold exactly what their mapped
groups give, for what the map covers, and nothing else. The map covers each role it names, and
each place it names (a team *with* a role): an administrator's grants outside that stay as they
are, so a map that makes a group agents of "Care North" never touches that team's manager.
Leaving a mapped group takes away what it gave at the next sign-in (unless another of the
person's groups gives it too). When two groups place the person in one team, manager outranks
agent.

When the sign-in carries no group claim at all, nothing changes: a provider that was not asked
for the claim, or that leaves it out (Entra ID does for people in very many groups), must not
empty anyone's roles.

Each change goes through the people services (``actor=None``: the system), so each is audited
in its own transaction, and only when it changes something. They are separate transactions on
purpose: the audit chain is the last lock a transaction takes (portal/locking.py), and the next
sign-in repeats whatever a failure left undone.
"""

import logging
from dataclasses import dataclass, field

from accounts.models import Membership, OrgRole, Team, TeamRole, User
from programs.identity.sso import config
from programs.people import services as people

logger = logging.getLogger(__name__)

_RANK = {TeamRole.AGENT: 0, TeamRole.MANAGER: 1}


@dataclass
class GroupChanges:
    granted: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    placed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.granted or self.revoked or self.placed or self.removed)


def groups_in(claims: dict) -> list[str] | None:
    """The person's groups, or None when the map is off or the claim is absent."""
    name = config.groups_claim()
    if not name or not config.group_map() or name not in claims:
        return None
    value = claims[name]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    return [group for group in value if isinstance(group, str)]


@dataclass
class _Wanted:
    """What the map covers, and what the person's groups give within it."""

    covered_roles: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    covered_places: dict[str, set[str]] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)


def apply_groups(*, person: User, groups: list[str]) -> GroupChanges:
    """Bring the person's mapped roles and teams in line with ``groups``; say what changed."""
    wanted = _wanted(set(groups))
    changes = GroupChanges()
    _apply_roles(person, wanted, changes)
    _apply_places(person, wanted, changes)
    return changes


def _wanted(member_of: set[str]) -> _Wanted:
    wanted = _Wanted()
    for group, gives in config.group_map().items():
        roles = set(gives.get("roles", []))
        teams = dict(gives.get("teams", {}))
        wanted.covered_roles |= roles
        for team, role in teams.items():
            wanted.covered_places.setdefault(team, set()).add(role)
        if group in member_of:
            wanted.roles |= roles
            for team, role in teams.items():
                if team not in wanted.places or _RANK[role] > _RANK[wanted.places[team]]:
                    wanted.places[team] = role
    return wanted


def _apply_roles(person: User, wanted: _Wanted, changes: GroupChanges) -> None:
    held = set(OrgRole.objects.filter(user=person).values_list("role", flat=True))
    for role in sorted(wanted.covered_roles):
        if role in wanted.roles and role not in held:
            people.grant_role(user=person, role=role, actor=None)
            changes.granted.append(role)
        elif role not in wanted.roles and role in held:
            people.revoke_role(user=person, role=role, actor=None)
            changes.revoked.append(role)


def _apply_places(person: User, wanted: _Wanted, changes: GroupChanges) -> None:
    covered = wanted.covered_places
    teams = {team.name: team for team in Team.objects.filter(name__in=covered)}
    for name in sorted(set(covered) - set(teams)):
        logger.warning("SSO_GROUP_MAP names the team %r, which does not exist.", name)
    places = dict(
        Membership.objects.filter(user=person, team__in=teams.values()).values_list(
            "team__name", "role"
        )
    )
    for name, team in sorted(teams.items()):
        role, held = wanted.places.get(name), places.get(name)
        if held is not None and held not in covered[name]:
            continue  # a place the map does not give, so not the map's to change
        if role is not None and held != role:
            people.set_membership(user=person, team=team, role=role, actor=None)
            changes.placed[name] = role
        elif role is None and held is not None:
            people.remove_membership(user=person, team=team, actor=None)
            changes.removed.append(name)
