"""Lists in pages of 25, tabs that filter them, and where a form posted from a list returns to."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 25


@dataclass(frozen=True)
class Tab:
    """One tab over a list (templates/partials/tabs.html): a filter, and how many it holds."""

    label: str
    href: str
    count: int
    current: bool


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
