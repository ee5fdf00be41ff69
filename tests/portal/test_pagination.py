"""The links between a list's pages keep the rest of the address: the filters and search that
made the list, and the page of the other list when a page holds two."""

import re
from html import unescape

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import added_shift, appreciation_day, created_invitation


def links(html: str) -> dict[str, str]:
    return {rel: unescape(href) for href, rel in re.findall(r'href="([^"]*)" rel="(\w+)"', html)}


def render(query: str, **context) -> str:
    request = RequestFactory().get(f"/gestures/?{query}")
    page = Paginator(range(100), 10).page(int(request.GET.get(context.get("param", "page"), 1)))
    return render_to_string("partials/pagination.html", {"page": page, **context}, request)


def test_the_next_and_previous_pages_keep_the_filters_and_the_search():
    html = render("status=approved&q=flowers&page=3")
    assert links(html) == {
        "prev": "?status=approved&q=flowers&page=2",
        "next": "?status=approved&q=flowers&page=4",
    }


def test_a_second_list_changes_only_its_own_page_parameter():
    html = render("page=3&shifts_page=2", param="shifts_page", label="Pages of shifts")
    assert links(html) == {"prev": "?page=3&shifts_page=1", "next": "?page=3&shifts_page=3"}
    assert 'aria-label="Pages of shifts"' in html


def test_a_list_shown_again_after_a_post_links_to_its_own_address():
    html = render("page=1", list_url="/days/organise/")
    assert links(html) == {"next": "/days/organise/?page=2"}


def test_a_single_page_has_no_page_links():
    request = RequestFactory().get("/gestures/")
    page = Paginator(range(3), 10).page(1)
    assert "pagination" not in render_to_string("partials/pagination.html", {"page": page}, request)


@pytest.mark.django_db
def test_paging_a_days_shifts_keeps_the_page_of_its_invitation_links(client, organiser):
    day = appreciation_day(organiser)
    for n in range(30):
        added_shift(day, organiser, role=f"Role {n:02d}")
    for n in range(12):
        created_invitation(day, organiser, label=f"Link {n:02d}")
    client.force_login(organiser)
    url = reverse("days:day-manage", args=[day.pk])

    html = client.get(url, {"page": 2}).content.decode()

    shifts = html.split('aria-label="Pages of shifts"', 1)[1].split("</nav>", 1)[0]
    assert links(shifts) == {"next": f"{url}?page=2&shifts_page=2"}
    invitations = html.split('aria-label="Pages of links"', 1)[1].split("</nav>", 1)[0]
    assert links(invitations) == {"prev": f"{url}?page=1"}
