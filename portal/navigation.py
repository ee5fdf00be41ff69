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
    NavEntry("API", "api-docs", _everyone),
    NavEntry("Admin", "admin:index", lambda access: access.can_administer),
]


def navigation_for(request: HttpRequest, access: Access) -> list[dict]:
    items = []
    for entry in NAVIGATION:
        if not entry.shown_to(access):
            continue
        url = reverse(entry.url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": entry.label, "url": url, "current": current})
    return items
