"""Every page each role reaches, checked with axe-core at desktop width and on a 390 px phone.

The journeys check the pages they pass through; this walk catches the ones no journey visits.
It starts from each demo account's home page and follows the links it finds there and on the
pages one step away, taking one page of each shape (``/gestures/12/`` stands for every gesture's
page), so the walk grows with the portal's pages and not with its data.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from programs.days.models import Invitation, Registration
from tests.e2e.header import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = [
    "agent@demo.test",
    "manager@demo.test",
    "finance@demo.test",
    "organiser@demo.test",
    "admin@demo.test",
]
# Not portal pages: Django's admin and the API's Swagger page are other people's markup (both are
# covered by the Content-Security-Policy tests); downloads are not pages.
LEFT_OUT = re.compile(r"^/(admin|api|static|media)/|\.(csv|ics|png|svg)$|/(export|calendar|qr)")


def _shape(path: str) -> str:
    return re.sub(r"/[0-9]+/", "/N/", re.sub(r"/[A-Za-z0-9_-]{20,}/", "/TOKEN/", path))


def _internal_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
            continue
        if parts.path and not LEFT_OUT.search(parts.path):
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _walk(page, assert_accessible, start: str) -> list[str]:
    """Visit ``start`` and every page of a new shape it and its neighbours link to."""
    seen_shapes: set[str] = set()
    visited: list[str] = []
    queue = [start]
    depth = {start: 0}
    while queue:
        path = queue.pop(0)
        shape = _shape(urlsplit(path).path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response.status}"
        assert_accessible(page, re.sub(r"[^a-z0-9]+", "-", shape.lower()).strip("-") or "home")
        visited.append(path)
        if depth[path] < 2:
            for link in _internal_links(page):
                if link not in depth and "/accounts/" not in link:
                    depth[link] = depth[path] + 1
                    queue.append(link)
    return visited


@pytest.mark.parametrize("email", ROLES)
def test_every_page_a_role_reaches_has_no_serious_accessibility_violation(
    page, assert_accessible, email
):
    call_command("seed_demo")
    log_in(page, email)

    visited = _walk(page, assert_accessible, "/")

    # The walk really went somewhere: home and at least the role's own pages.
    assert len(visited) >= 4, visited


def test_the_customer_pages_have_no_serious_accessibility_violation(page, assert_accessible):
    call_command("seed_demo")
    invitation = Invitation.objects.filter(revoked_at__isnull=True).first()
    registration = Registration.objects.filter(status="confirmed").first()

    page.goto(f"/invite/{invitation.token}/")
    assert_accessible(page, "invitation")
    # (The waitlisted and cancelled states are checked by the appreciation-day journeys.)
    # An empty submission: the errors beside the fields must be accessible too.
    page.get_by_role("button", name="Register").click()
    page.get_by_role("alert").first.wait_for()
    assert_accessible(page, "invitation-errors")
    page.goto(f"/r/{registration.manage_token}/")
    assert_accessible(page, "registration")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@demo.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").wait_for()
    assert_accessible(page, "login-refused")
