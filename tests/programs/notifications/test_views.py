import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from programs.notifications.models import Notification
from tests.factories import gesture_input
from tests.support.queries import assert_query_count, assert_same_query_count, page_queries

pytestmark = pytest.mark.usefixtures("category", "budget")

INBOX = reverse("notifications:notifications")
BELL = reverse("notifications:notifications-bell")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def told_manager(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    return Notification.objects.get(recipient=manager)


@pytest.fixture
def decided_elsewhere(second_manager, told_manager):
    """What the manager was told of, approved by Care North's other manager."""
    decide_approval(
        request=ApprovalRequest.objects.get(pk=told_manager.subject_id),
        actor=second_manager,
        approve=True,
    )
    return told_manager


def _bell(html: str) -> str:
    return re.search(r'<a class="bell".*?</a>', html, re.DOTALL).group(0)


def test_the_bell_counts_unread_notifications(client, manager, told_manager):
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert 'class="bell__count">1<' in html


def test_opening_one_marks_it_read_and_follows_its_link(client, manager, told_manager):
    client.force_login(manager)
    response = client.get(reverse("notifications:notification-open", args=[told_manager.pk]))
    assert response.status_code == 302 and response["Location"] == told_manager.link
    told_manager.refresh_from_db()
    assert told_manager.read_at is not None
    assert "bell__count" not in client.get(reverse("home")).content.decode()


def test_nobody_opens_anothers_notification(client, agent, told_manager):
    client.force_login(agent)
    assert (
        client.get(reverse("notifications:notification-open", args=[told_manager.pk])).status_code
        == 404
    )
    assert told_manager.title not in client.get(INBOX).content.decode()


def test_mark_all_read(client, manager, told_manager):
    client.force_login(manager)
    page = client.get(INBOX).content.decode()
    assert told_manager.title in page
    client.post(reverse("notifications:notifications-read"))
    assert Notification.objects.for_user(manager).unread().count() == 0


# The page: amounts with their sign, times as people say them, settled requests resolved.


def test_an_entry_shows_its_amount_with_the_pound_sign_and_when_it_came(
    client, manager, told_manager
):
    client.force_login(manager)
    html = client.get(INBOX).content.decode()
    assert "Approval needed: Gift for TCK-1001 (£60.00)" in html
    assert ">just now</time>" in html and "0 minutes" not in html
    assert '<span class="badge badge--new">New</span>' in html


def test_an_older_entry_says_how_long_ago(client, manager, told_manager):
    Notification.objects.filter(pk=told_manager.pk).update(
        created_at=timezone.now() - timedelta(minutes=5, seconds=10)
    )
    client.force_login(manager)
    assert ">5 minutes ago</time>" in client.get(INBOX).content.decode()


def test_a_request_decided_by_another_manager_shows_resolved_and_is_not_new(
    client, manager, decided_elsewhere
):
    client.force_login(manager)
    html = client.get(INBOX).content.decode()
    entry = re.search(r'<li class="notification[^"]*">.*?</li>', html, re.DOTALL).group(0)
    assert "notification--resolved" in entry
    assert "Resolved</span> Decided by Zed Second — approved" in entry
    assert "badge--new" not in entry
    assert "bell__count" not in _bell(html)
    # Nothing left to mark as read that the bell would count.
    assert "Mark all as read" not in html


def test_the_page_costs_the_same_queries_however_many_entries_and_resolutions(
    client, agent, manager, second_manager, told_manager
):
    client.force_login(manager)
    page_queries(client, INBOX)
    few = page_queries(client, INBOX)
    for n in range(6):
        log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref=f"TCK-{n}"))
    for step in ApprovalRequest.objects.pending()[:4]:
        decide_approval(request=step, actor=second_manager, approve=True)
    assert Notification.objects.filter(recipient=manager, resolved_at__isnull=False).count() == 4
    assert_same_query_count(few, page_queries(client, INBOX))


# The header: a live region around the count, and a poller at the configured interval.


def test_the_count_is_a_polite_live_region_inside_the_bell_only(client, manager, told_manager):
    client.force_login(manager)
    html = client.get(INBOX).content.decode()
    assert html.count("aria-live") == 1
    assert re.search(
        r'<span class="bell__live" id="bell-count" aria-live="polite" aria-atomic="true">'
        r'<span class="bell__count">1<span class="visually-hidden"> unread</span></span></span>',
        _bell(html),
    )


def test_the_bell_polls_at_the_configured_interval_with_the_count_it_shows(
    client, manager, told_manager, settings
):
    settings.NOTIFICATION_POLL_SECONDS = 45
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert (
        f'<span id="bell-poll" hidden hx-get="{BELL}?shown=1" '
        'hx-trigger="every 45s, bell:check" hx-swap="outerHTML"></span>'
    ) in html
    assert 'src="/static/portal/bell.js"' in html


def test_no_polling_when_the_interval_is_zero(client, manager, told_manager, settings):
    settings.NOTIFICATION_POLL_SECONDS = 0
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert "bell-poll" not in html and "bell.js" not in html
    assert 'class="bell__count">1<' in html


# The fragment the poller asks for.


def test_the_fragment_answers_nothing_while_the_count_is_what_the_page_shows(
    client, manager, told_manager
):
    client.force_login(manager)
    page_queries(client, f"{BELL}?shown=1", status=204, headers=HTMX)
    # The session, the person, their memberships and roles (does their role need two-factor
    # authentication first? programs/identity/mfa/gate.py), the count.
    with assert_query_count(5):
        page_queries(client, f"{BELL}?shown=1", status=204, headers=HTMX)
    response = client.get(f"{BELL}?shown=1", headers=HTMX)
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]


def test_the_fragment_sends_the_new_count_and_a_poller_that_knows_it(
    client, agent, manager, told_manager
):
    log_gesture(agent=agent, **gesture_input(cost="70.00", customer_ref="TCK-2"))
    client.force_login(manager)
    page_queries(client, f"{BELL}?shown=1", headers=HTMX)
    # As above: the session, the person, memberships and roles, the count.
    with assert_query_count(5):
        page_queries(client, f"{BELL}?shown=1", headers=HTMX)
    html = client.get(f"{BELL}?shown=1", headers=HTMX).content.decode()
    assert f'hx-get="{BELL}?shown=2"' in html
    assert (
        '<span id="bell-count" hx-swap-oob="innerHTML"><span class="bell__count">2'
        '<span class="visually-hidden"> unread</span></span></span>'
    ) in html


def test_the_fragment_empties_the_count_when_the_request_was_decided_elsewhere(
    client, manager, decided_elsewhere
):
    client.force_login(manager)
    html = client.get(f"{BELL}?shown=1", headers=HTMX).content.decode()
    assert f'hx-get="{BELL}?shown=0"' in html
    assert '<span id="bell-count" hx-swap-oob="innerHTML"></span>' in html


@pytest.mark.parametrize("shown", ["", "abc", "-1", "1.0", "9" * 400, "%00"])
def test_any_shown_value_gets_the_count_never_an_error(client, manager, told_manager, shown):
    client.force_login(manager)
    response = client.get(BELL, {"shown": shown}, headers=HTMX)
    assert response.status_code == 200
    assert 'hx-swap-oob="innerHTML"><span class="bell__count">1<' in response.content.decode()


def test_signed_out_the_poller_is_told_to_stop(client, told_manager):
    response = client.get(f"{BELL}?shown=1", headers=HTMX)
    assert response.status_code == 286 and response.content == b""


def test_signed_out_a_browser_is_sent_to_log_in(client, told_manager):
    response = client.get(f"{BELL}?shown=1")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_fragment_counts_only_the_askers_notifications(client, agent, told_manager):
    client.force_login(agent)
    html = client.get(f"{BELL}?shown=1", headers=HTMX).content.decode()
    assert f'hx-get="{BELL}?shown=0"' in html and "bell__count" not in html


def test_the_fragment_answers_only_get(client, manager):
    client.force_login(manager)
    assert client.post(BELL).status_code == 405
