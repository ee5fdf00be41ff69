"""What the gesture lists of several pages share: status tabs and pages of 25."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from programs.models import Gesture, GestureStatus
from programs.selectors.gestures import STATUS_FILTERS

PAGE_SIZE = 25
# Tabs sit side by side on a phone, so they take the short words.
TAB_LABELS = {GestureStatus.PENDING: "Waiting"}


@dataclass(frozen=True)
class Tab:
    label: str
    href: str
    count: int
    current: bool


def status_from(request: HttpRequest) -> str:
    """The status asked for in ``?status=``; anything unknown shows everything."""
    status = request.GET.get("status", "")
    return status if status in GestureStatus.values else ""


def status_tabs(url: str, gestures: QuerySet[Gesture], current: str) -> list[Tab]:
    """One tab per status, with how many gestures each holds, counted in one query.

    ``url`` is the list's page: a form posted elsewhere may render the page again.
    """
    counts = gestures.aggregate(
        all=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in GestureStatus.values},
    )
    return [
        Tab(
            label=TAB_LABELS.get(value, label),
            href=f"{url}?{urlencode({'status': value})}" if value else url,
            count=counts[value or "all"],
            current=value == current,
        )
        for value, label in STATUS_FILTERS
    ]


def page_of(
    request: HttpRequest, items: QuerySet, *, size: int = PAGE_SIZE, param: str = "page"
) -> Page:
    return Paginator(items, size).get_page(request.GET.get(param))


def back_to_list(request: HttpRequest, list_url: str) -> str:
    """Where a form posted from a list without JavaScript returns: the page of the list it was
    posted from (its ``next`` field, keeping the page and tab), or else the list itself."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith(list_url) else list_url
