"""The navigation: each entry names the capability that shows it to a role."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import Access, Capability


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    shown_to: Capability


def _everyone(access: Access) -> bool:
    return access.user_id is not None


NAVIGATION: list[NavEntry] = [
    NavEntry("Home", "home", _everyone),
    NavEntry("Log a gesture", "programs:log-gesture", lambda access: access.can_log_gestures),
    NavEntry("My gestures", "programs:my-gestures", lambda access: access.can_log_gestures),
    NavEntry("My teams", "programs:team-list", lambda access: access.is_manager),
    NavEntry("Budgets", "programs:budgets", lambda access: access.can_allocate_budgets),
    NavEntry("API", "api-docs", _everyone),
    NavEntry("Admin", "admin:index", lambda access: access.can_administer),
]


def _leads_to(url: str, path: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation_for(request: HttpRequest, access: Access) -> list[dict]:
    items = [
        {"label": entry.label, "url": reverse(entry.url_name), "current": False}
        for entry in NAVIGATION
        if entry.shown_to(access)
    ]
    # The longest matching address wins, so /gestures/new/ marks "Log a gesture" and not also
    # "My gestures" at /gestures/, while a gesture's own page still marks "My gestures".
    matches = [item for item in items if _leads_to(item["url"], request.path)]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
