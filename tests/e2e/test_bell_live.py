"""The notification bell counts live on a page left open (issue 11, item 12).

The header's poller asks /notifications/bell/ every NOTIFICATION_POLL_SECONDS (read per request
by portal/context_processors.py, so the test can shorten it); a new approval request shows in
the count without a reload, and leaves it once someone has decided it.
"""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from programs.empowerment.services.gestures import log_gesture
from programs.notifications.selectors import new_count
from tests.e2e.header import log_in
from tests.factories import gesture_input

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLL_SECONDS = 1
# A few polls' worth: the count must move on its own, not on the next page load.
LIVE_WITHIN_MS = 5_000


def _count_text(count: int) -> str:
    """What the bell's live region says: nothing at all when nothing is new."""
    return f"{count} unread" if count else ""


def test_a_new_approval_request_rings_the_open_bell_and_leaves_it_once_decided(
    page, settings, assert_accessible
):
    settings.NOTIFICATION_POLL_SECONDS = POLL_SECONDS
    call_command("seed_demo")
    manager = User.objects.get(email="manager@demo.test")
    agent = User.objects.get(email="agent@demo.test")
    log_in(page, manager.email)
    bell = page.locator("#bell-count")
    before = new_count(manager.pk)
    expect(bell).to_have_text(_count_text(before))
    # Set on this page only: it is gone if the page is loaded again.
    page.evaluate("() => { window.neverReloaded = true; }")

    # The agent, elsewhere, logs £60: over the £50 gesture limit, so it asks the manager.
    gesture = log_gesture(
        agent=agent, **gesture_input(customer_ref="E2E-BELL", cost=Decimal("60.00"))
    ).gesture
    assert gesture.status == "pending"

    expect(bell).to_have_text(_count_text(before + 1), timeout=LIVE_WITHIN_MS)
    assert page.evaluate("() => window.neverReloaded === true")

    page.locator("a.bell").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    ask = page.locator("li.notification").filter(has_text="E2E-BELL")
    assert "Approval needed: Gift for E2E-BELL (£60.00)" in ask.inner_text()
    assert "New" in ask.locator(".notification__meta").inner_text()
    # Seconds old: the words a person would use, not "0 minutes ago".
    assert ask.locator("time").inner_text() == "just now"
    assert_accessible(page, "notifications-asked")

    page.locator("nav.site-nav").get_by_role("link", name=re.compile(r"^Approvals")).click()
    card = page.locator("article.approval").filter(has_text="E2E-BELL")
    card.get_by_role("button", name="Approve", exact=True).click()
    page.locator("article.approval--done").filter(has_text="E2E-BELL").wait_for()
    page.evaluate("() => { window.neverReloaded = true; }")
    # Decided, it no longer asks anything of the manager: the count drops back on its own.
    expect(bell).to_have_text(_count_text(before), timeout=LIVE_WITHIN_MS)
    assert page.evaluate("() => window.neverReloaded === true")

    page.locator("a.bell").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    settled = page.locator("li.notification").filter(has_text="E2E-BELL")
    assert "notification--resolved" in settled.get_attribute("class")
    resolution = settled.locator(".notification__resolution").inner_text()
    assert resolution == "Resolved Decided by Maya Lindqvist — approved"
    assert "New" not in settled.locator(".notification__meta").inner_text()
    assert_accessible(page, "notifications-resolved")
