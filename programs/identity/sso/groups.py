"""The group claim applied to roles and teams, at every sign-in through the identity provider.

``SSO_GROUP_MAP`` names groups and what each gives: organisation roles and team places (team by
name, role ``agent`` or ``manager``). A sign-in makes the person hold exactly what their mapped
groups give, for what the map covers, and nothing else: a role or team that no group in the map
names is never touched, so an administrator's grants outside the map stay. Leaving a mapped
group takes away what it gave at the next sign-in (unless another of the person's groups gives
it too). When two groups place the person in one team, manager outranks agent.

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


def apply_groups(*, person: User, groups: list[str]) -> GroupChanges:
    """Bring the person's mapped roles and teams in line with ``groups``; say what changed."""
    mapping = config.group_map()
    member_of = set(groups)
    covered_roles: set[str] = set()
    wanted_roles: set[str] = set()
    covered_teams: set[str] = set()
    wanted_teams: dict[str, str] = {}
    for group, gives in mapping.items():
        roles = set(gives.get("roles", []))
        teams = dict(gives.get("teams", {}))
        covered_roles |= roles
        covered_teams |= set(teams)
        if group in member_of:
            wanted_roles |= roles
            for team, role in teams.items():
                if team not in wanted_teams or _RANK[role] > _RANK[wanted_teams[team]]:
                    wanted_teams[team] = role

    changes = GroupChanges()
    held = set(OrgRole.objects.filter(user=person).values_list("role", flat=True))
    for role in sorted(covered_roles):
        if role in wanted_roles and role not in held:
            people.grant_role(user=person, role=role, actor=None)
            changes.granted.append(role)
        elif role not in wanted_roles and role in held:
            people.revoke_role(user=person, role=role, actor=None)
            changes.revoked.append(role)

    teams = {team.name: team for team in Team.objects.filter(name__in=covered_teams)}
    for name in sorted(covered_teams - set(teams)):
        logger.warning("SSO_GROUP_MAP names the team %r, which does not exist.", name)
    places = dict(
        Membership.objects.filter(user=person, team__in=teams.values()).values_list(
            "team__name", "role"
        )
    )
    for name, team in sorted(teams.items()):
        wanted = wanted_teams.get(name)
        if wanted is not None and places.get(name) != wanted:
            people.set_membership(user=person, team=team, role=wanted, actor=None)
            changes.placed[name] = wanted
        elif wanted is None and name in places:
            people.remove_membership(user=person, team=team, actor=None)
            changes.removed.append(name)
    return changes
