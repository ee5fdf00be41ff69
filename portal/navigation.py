"""The navigation: each entry names the capability that shows it to a role, and a queue's
entry how many items wait in it (one small count query each, only for those who see it).

On a phone the navigation folds behind a Menu button, all but one entry: the person's primary
action (an agent logs gestures, a manager approves), which stays in the header bar within reach
of a thumb. The entries that can be primary carry a rank; the lowest rank a person sees wins.
The API reference is not here: it is for integrators, and lives in the footer."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import Access, Capability
from programs.empowerment.selectors.approvals import decidable_by
from programs.empowerment.selectors.reviews import reviews_to_do
from programs.people.views import may_use_people_pages


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # An Access capability, or (for what Access cannot know, such as the people capability of
    # programs.people) a function of the request and the access.
    shown_to: Capability | Callable[[HttpRequest, Access], bool]
    waiting: Callable[[HttpRequest], int] | None = None
    primary_rank: int | None = None


def _approvals_waiting(request: HttpRequest) -> int:
    return decidable_by(request.user).count()


def _reviews_waiting(_request: HttpRequest) -> int:
    return reviews_to_do().count()


NAVIGATION: list[NavEntry] = [
    NavEntry("Home", "home", Access.is_signed_in),
    NavEntry(
        "Log a gesture",
        "empowerment:log-gesture",
        Access.can_log_gestures,
        primary_rank=2,
    ),
    NavEntry("My gestures", "empowerment:my-gestures", Access.can_log_gestures),
    NavEntry(
        "Approvals",
        "empowerment:approvals",
        Access.can_approve,
        waiting=_approvals_waiting,
        # Someone who both logs gestures and approves them has others waiting on them.
        primary_rank=1,
    ),
    NavEntry("My teams", "empowerment:team-list", Access.can_manage_teams),
    NavEntry("Budgets", "empowerment:budgets", Access.can_allocate_budgets),
    NavEntry(
        "Reviews", "empowerment:reviews", Access.can_review_gestures, waiting=_reviews_waiting
    ),
    NavEntry("Audit", "audit:audit", Access.can_view_audit),
    NavEntry("Stories", "stories:wall", Access.is_signed_in),
    NavEntry("Insights", "insights:dashboard", Access.is_signed_in),
    NavEntry("Appreciation days", "days:days", Access.is_signed_in),
    NavEntry(
        "Organise days",
        "days:organise-days",
        Access.can_organise_days,
        primary_rank=4,
    ),
    NavEntry("People", "people:people", may_use_people_pages),
    NavEntry("Admin", "admin:index", Access.can_administer, primary_rank=3),
]


def _leads_to(url: str, path: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def _shows(entry: NavEntry, request: HttpRequest, access: Access) -> bool:
    if isinstance(entry.shown_to, property):
        return bool(entry.shown_to.fget(access))
    return entry.shown_to(request, access)


def navigation_for(request: HttpRequest, access: Access) -> list[dict]:
    shown = [entry for entry in NAVIGATION if _shows(entry, request, access)]
    ranked = [entry for entry in shown if entry.primary_rank is not None]
    primary = min(ranked, key=lambda entry: entry.primary_rank) if ranked else None
    items = [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "current": False,
            "primary": entry is primary,
            "key": entry.url_name.rpartition(":")[2],
            "waiting": entry.waiting(request) if entry.waiting else None,
        }
        for entry in shown
    ]
    # The longest matching address wins, so /gestures/new/ marks "Log a gesture" and not also
    # "My gestures" at /gestures/, while a gesture's own page still marks "My gestures".
    matches = [item for item in items if _leads_to(item["url"], request.path)]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return items
