from accounts.models.roles import OrgRole, RoleName
from accounts.models.teams import Membership, Team, TeamRole
from accounts.models.users import User

__all__ = ["Membership", "OrgRole", "RoleName", "Team", "TeamRole", "User"]
