"""Who may call which appreciation-day endpoint, asked of ``accounts.permissions``."""

from accounts.permissions import Access, api_capability

CanOrganiseDays = api_capability(Access.can_organise_days, "organise appreciation days")
