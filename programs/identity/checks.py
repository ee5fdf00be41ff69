"""System checks: a mistake in the single sign-on settings stops the portal at start-up
(``manage.py check``), not at somebody's first sign-in."""

from django.core.checks import Error, register

from accounts.models import RoleName, TeamRole
from programs.identity.sso import config


@register()
def check_group_map(**kwargs) -> list[Error]:
    errors = []
    for group, gives in config.group_map().items():
        where = f"SSO_GROUP_MAP[{group!r}]"
        if not isinstance(gives, dict) or set(gives) - {"roles", "teams"}:
            errors.append(
                Error(f'{where} must be an object with "roles" and/or "teams".', id="identity.E001")
            )
            continue
        roles = gives.get("roles", [])
        if not isinstance(roles, list) or not set(roles) <= set(RoleName.values):
            errors.append(
                Error(
                    f"{where}['roles'] must list roles from {sorted(RoleName.values)}.",
                    id="identity.E002",
                )
            )
        teams = gives.get("teams", {})
        if not isinstance(teams, dict) or not set(teams.values()) <= set(TeamRole.values):
            errors.append(
                Error(
                    f"{where}['teams'] must map team names to {sorted(TeamRole.values)}.",
                    id="identity.E003",
                )
            )
    if config.group_map() and not config.groups_claim():
        errors.append(
            Error("SSO_GROUP_MAP is set but SSO_GROUPS_CLAIM is not.", id="identity.E004")
        )
    return errors
