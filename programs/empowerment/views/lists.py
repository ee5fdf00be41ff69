"""What the gesture lists of several pages share: status tabs counted in one query."""

from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from portal.paging import Tab
from programs.empowerment.models import Gesture, GestureStatus
from programs.empowerment.selectors.gestures import STATUS_FILTERS

# Tabs sit side by side on a phone, so they take the short words.
TAB_LABELS = {GestureStatus.PENDING: "Waiting"}


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
