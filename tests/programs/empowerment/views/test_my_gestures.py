from decimal import Decimal

from django.urls import reverse

from accounts.models import TeamRole
from programs.empowerment.models import GestureStatus
from tests.factories import UserFactory, place
from tests.support.gesture_entry import form_data
from tests.support.queries import assert_same_query_count, page_queries

LOG = reverse("empowerment:log-gesture")
MINE = reverse("empowerment:my-gestures")


def test_my_gestures_shows_both_gestures_and_the_allowance_left_on_one_page(
    client, agent, programme, category, budget
):
    client.force_login(agent)
    client.post(LOG, form_data(cost="10.00", customer_ref="TCK-10"))
    client.post(LOG, form_data(cost="60.00", customer_ref="TCK-60"))

    html = client.get(MINE).content.decode()

    assert "TCK-10" in html and "TCK-60" in html
    assert "£10.00" in html and "£60.00" in html
    assert "Approved" in html and "Waiting for approval" in html
    assert "<strong>£130.00</strong> left" in html
    assert 'value="35"' in html  # the meter: £70 of £200 used or waiting


def test_the_status_tabs_filter_the_list_and_count_each_status(client, agent, logged):
    logged(agent, cost="10.00", customer_ref="APPROVED-1")
    logged(agent, cost="60.00", customer_ref="PENDING-1")
    client.force_login(agent)

    html = client.get(MINE, {"status": GestureStatus.PENDING}).content.decode()

    assert "PENDING-1" in html and "APPROVED-1" not in html
    assert '<a href="/gestures/?status=pending" aria-current="page">Waiting' in html
    assert 'All <span class="tabs__count">2</span>' in html
    assert 'Declined <span class="tabs__count">0</span>' in html


def test_an_unknown_status_shows_everything(client, agent, logged):
    logged(agent, customer_ref="TCK-1")
    client.force_login(agent)

    html = client.get(MINE, {"status": "nonsense"}).content.decode()

    assert "TCK-1" in html


def test_an_agent_sees_only_their_own_gestures(client, agent, team, logged):
    colleague = place(UserFactory(), team, TeamRole.AGENT)
    logged(colleague, customer_ref="THEIRS-1")
    logged(agent, customer_ref="MINE-1")
    client.force_login(agent)

    html = client.get(MINE).content.decode()

    assert "MINE-1" in html and "THEIRS-1" not in html


def test_the_list_has_pages_of_25_that_keep_the_filter(client, agent, logged, copies):
    copies(logged(agent, cost="0.00"), 29)
    client.force_login(agent)

    first = client.get(MINE, {"status": "approved"}).content.decode()
    assert first.count("BULK-") == 25
    assert 'href="?status=approved&amp;page=2"' in first
    second = client.get(MINE, {"status": "approved", "page": 2}).content.decode()
    assert second.count("BULK-") == 4


def test_my_gestures_query_count_does_not_grow_with_gestures(client, agent, logged, copies):
    approved = logged(agent, cost="0.00")
    waiting = logged(agent, cost="60.00", customer_ref="TCK-2")
    copies(approved, 2)
    copies(waiting, 1, committed_amount=Decimal("0.00"), over_budget=True)
    client.force_login(agent)
    page_queries(client, MINE)

    few = page_queries(client, MINE)
    copies(approved, 100, possible_duplicate=True)
    copies(waiting, 95, committed_amount=Decimal("0.00"), over_budget=True)
    many = page_queries(client, MINE)

    assert_same_query_count(few, many)


def test_my_gestures_is_for_agents(client, manager):
    client.force_login(manager)

    assert client.get(MINE).status_code == 403


def test_my_gestures_asks_a_stranger_to_log_in(client):
    response = client.get(MINE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
