from accounts.models.delegations import Delegation
from accounts.models.roles import OrgRole, RoleName
from accounts.models.teams import Membership, Team, TeamRole
from accounts.models.users import User

__all__ = ["Delegation", "Membership", "OrgRole", "RoleName", "Team", "TeamRole", "User"]
