from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import TeamRole
from programs.empowerment.models import Budget
from tests.factories import TeamFactory, UserFactory, allocated_budget, place
from tests.support.queries import assert_same_query_count, page_queries

BUDGETS = reverse("empowerment:budgets")


def this_period(programme) -> date:
    return programme.period_bounds(timezone.localdate())[0]


def allocation(team, start: date, amount: str) -> dict:
    return {"team": team.pk, "period_start": start.isoformat(), "amount": amount}


def test_finance_sees_every_team_with_its_budget(
    client, finance_user, budget, other_team, other_manager
):
    client.force_login(finance_user)

    html = client.get(BUDGETS).content.decode()

    assert "Care North" in html and "Care South" in html
    assert "£1,000.00" in html
    assert "Not allocated" in html
    assert f'id="id_budget_{other_team.pk}_amount"' in html


@pytest.mark.parametrize("person", ["agent", "manager", "organiser", "nobody"])
def test_only_finance_and_admins_open_the_budget_page(client, request, programme, person):
    client.force_login(request.getfixturevalue(person))

    assert client.get(BUDGETS).status_code == 403
    assert client.post(BUDGETS, {}).status_code == 403


def test_an_admin_opens_the_budget_page(client, admin_user, programme):
    client.force_login(admin_user)

    assert client.get(BUDGETS).status_code == 200


def test_finance_allocates_a_budget_through_the_page(client, finance_user, other_team, programme):
    client.force_login(finance_user)
    start = this_period(programme)

    response = client.post(BUDGETS, allocation(other_team, start, "1500.00"), follow=True)

    budget = Budget.objects.get(team=other_team)
    assert (budget.period_start, budget.amount) == (start, Decimal("1500.00"))
    assert budget.allocated_by == finance_user
    assert response.redirect_chain == [(BUDGETS, 302)]
    assert "Care South’s budget for" in response.content.decode()
    assert "allocated £1,500.00." in response.content.decode()


def test_finance_changes_a_budget(client, finance_user, team, budget, programme):
    client.force_login(finance_user)

    response = client.post(BUDGETS, allocation(team, budget.period_start, "1200"), follow=True)

    budget.refresh_from_db()
    assert budget.amount == Decimal("1200.00")
    assert "changed to £1,200.00." in response.content.decode()


def test_a_budget_below_what_is_spent_is_refused_beside_the_amount(
    client, finance_user, agent, team, budget, logged
):
    logged(agent, cost="40.00")
    client.force_login(finance_user)

    response = client.post(BUDGETS, allocation(team, budget.period_start, "25.00"))

    html = response.content.decode()
    row = html.split(f'id="budget-{team.pk}"')[1].split("</tr>")[0]
    assert "cannot be less than £40.00" in row
    assert 'value="25.00"' in row
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("abc", "Enter an amount such as 12.50."),
        ("-10", "The amount cannot be negative."),
        ("NaN", "Enter an amount such as 12.50."),
        ("1e30", "The amount cannot be more than 9,999,999.99."),
    ],
)
def test_a_bad_amount_is_refused_in_its_row_and_kept(
    client, finance_user, other_team, other_manager, programme, typed, error
):
    client.force_login(finance_user)

    response = client.post(BUDGETS, allocation(other_team, this_period(programme), typed))

    row = response.content.decode().split(f'id="budget-{other_team.pk}"')[1].split("</tr>")[0]
    assert error in row
    assert f'value="{typed}"' in row
    assert 'aria-invalid="true"' in row
    assert Budget.objects.count() == 0


def test_a_period_that_does_not_start_a_budget_period_is_refused(
    client, finance_user, other_team, programme
):
    programme.period = "quarterly"
    programme.save()
    client.force_login(finance_user)

    response = client.post(BUDGETS, allocation(other_team, date(2026, 2, 1), "100"))

    assert "A quarterly period starts on 1 January 2026." in response.content.decode()
    assert Budget.objects.count() == 0


def test_finance_chooses_another_period(client, finance_user, team, programme):
    allocated_budget(team, programme, amount="750.00", day=date(2026, 1, 15))
    client.force_login(finance_user)

    html = client.get(BUDGETS, {"period": "2026-01"}).content.decode()

    assert "Budgets · January 2026" in html
    assert "£750.00" in html
    assert 'href="?period=2025-12"' in html and 'href="?period=2026-02"' in html
    assert 'name="period_start" value="2026-01-01"' in html


def test_a_nonsense_period_shows_the_current_one_and_says_so(client, finance_user, programme):
    client.force_login(finance_user)

    html = client.get(BUDGETS, {"period": "soon"}).content.decode()

    assert f"Budgets · {timezone.localdate():%B %Y}" in html
    assert "Enter a month such as 2026-05." in html


def test_allocating_with_htmx_swaps_only_the_teams_row(client, finance_user, other_team, programme):
    client.force_login(finance_user)

    response = client.post(
        BUDGETS,
        allocation(other_team, this_period(programme), "800"),
        headers={"HX-Request": "true"},
    )

    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="budget-{other_team.pk}">')
    assert "<html" not in html
    assert "£800.00" in html and "allocated £800.00." in html
    assert Budget.objects.get(team=other_team).amount == Decimal("800.00")


def test_an_htmx_error_comes_back_in_the_row(client, finance_user, other_team, programme):
    client.force_login(finance_user)

    response = client.post(
        BUDGETS,
        allocation(other_team, this_period(programme), "abc"),
        headers={"HX-Request": "true"},
    )

    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="budget-{other_team.pk}">')
    assert "Enter an amount such as 12.50." in html
    assert Budget.objects.count() == 0


def test_the_teams_are_paginated(client, finance_user, programme):
    for n in range(30):
        place(UserFactory(), TeamFactory(name=f"Team {n:02d}"), TeamRole.AGENT)
    client.force_login(finance_user)

    first = client.get(BUDGETS, {"period": "2026-01"}).content.decode()
    assert "Team 24" in first and "Team 25" not in first
    assert 'href="?period=2026-01&amp;page=2"' in first
    assert "Team 25" in client.get(BUDGETS, {"page": 2}).content.decode()


def test_the_budget_page_query_count_does_not_grow_with_gestures_or_teams(
    client, finance_user, agent, team, programme, logged, copies
):
    copies(logged(agent, cost="0.00"), 4)
    for n in range(3):
        allocated_budget(TeamFactory(name=f"Small {n}"), programme)
    client.force_login(finance_user)
    page_queries(client, BUDGETS)

    few = page_queries(client, BUDGETS)
    copies(logged(agent, cost="0.00", customer_ref="TCK-2"), 194)
    for n in range(30):
        allocated_budget(TeamFactory(name=f"More {n}"), programme)
    many = page_queries(client, BUDGETS)

    assert_same_query_count(few, many)


# Periods inside the programme's dates


@pytest.fixture
def spring_to_summer(programme):
    programme.starts_on, programme.ends_on = date(2026, 3, 10), date(2026, 8, 20)
    programme.save()
    return programme


def test_a_budget_outside_the_programmes_dates_is_refused_in_its_row(
    client, finance_user, team, spring_to_summer
):
    client.force_login(finance_user)

    response = client.post(BUDGETS, allocation(team, date(2026, 9, 1), "100"))

    html = response.content.decode()
    assert "has budgets from March 2026 to August 2026: choose a period inside them." in html
    assert not Budget.objects.exists()


@pytest.mark.parametrize("period", ["2026-02", "2026-09", "2030-01"])
def test_a_period_outside_the_programme_is_refused_beside_the_field(
    client, finance_user, spring_to_summer, period
):
    client.force_login(finance_user)

    html = client.get(BUDGETS, {"period": period}).content.decode()

    assert "Choose a month from 2026-03 to 2026-08." in html
    assert 'min="2026-03"' in html and 'max="2026-08"' in html


def test_the_period_links_stop_at_the_programmes_first_and_last_period(
    client, finance_user, spring_to_summer
):
    client.force_login(finance_user)

    first = client.get(BUDGETS, {"period": "2026-03"}).content.decode()
    last = client.get(BUDGETS, {"period": "2026-08"}).content.decode()

    assert "Budgets · March 2026" in first
    assert 'rel="prev"' not in first and 'href="?period=2026-04"' in first
    assert "Budgets · August 2026" in last
    assert 'rel="next"' not in last and 'href="?period=2026-07"' in last


def test_budgets_list_teams_with_people_or_a_budget_but_not_an_empty_department(
    client, finance_user, agent, team, programme
):
    department = TeamFactory(name="Customer Care")
    team.parent = department
    team.save()
    funded = TeamFactory(name="Care Projects", parent=department)
    allocated_budget(funded, programme)  # nobody works in it yet, but it holds money
    client.force_login(finance_user)

    response = client.get(BUDGETS)

    assert [row.team.name for row in response.context["rows"]] == ["Care North", "Care Projects"]
    assert f'id="budget-{department.pk}"' not in response.content.decode()
