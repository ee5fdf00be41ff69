from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.empowerment.models import Budget, BudgetRequest
from tests.factories import allocated_budget
from tests.support.api import listed_ids

BUDGETS_URL = reverse("api:budgets")
REQUESTS_URL = reverse("api:budget-requests")


def allocation(team, programme, **overrides) -> dict:
    """A body for POST /budgets/: next month's budget for the team."""
    _, end = programme.period_bounds(timezone.localdate())
    values = {
        "team": team.pk,
        "programme": programme.pk,
        "period_start": (end + timedelta(days=1)).isoformat(),
        "amount": "1500.00",
    }
    values.update(overrides)
    return values


def test_budgets_need_credentials(api_client, db):
    assert api_client.get(BUDGETS_URL).status_code == 401
    assert api_client.post(BUDGETS_URL, {}, format="json").status_code == 401
    assert api_client.post(REQUESTS_URL, {}, format="json").status_code == 401


def test_budget_shows_money_as_strings_with_two_places(api_client, finance_user, budget):
    api_client.force_authenticate(finance_user)

    body = api_client.get(BUDGETS_URL).json()

    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": budget.pk,
            "team": budget.team_id,
            "programme": budget.programme_id,
            "period_start": budget.period_start.isoformat(),
            "period_end": budget.period_end.isoformat(),
            "amount": "1000.00",
            "committed": "0.00",
            "spent": "0.00",
            "available": "1000.00",
        }
    ]


def test_managers_see_only_their_own_teams_budgets(
    api_client, manager, other_manager, budget, other_budget
):
    api_client.force_authenticate(manager)
    assert set(listed_ids(api_client.get(BUDGETS_URL))) == {budget.pk}

    api_client.force_authenticate(other_manager)
    assert set(listed_ids(api_client.get(BUDGETS_URL))) == {other_budget.pk}


def test_finance_and_admins_see_every_budget(
    api_client, finance_user, admin_user, budget, other_budget
):
    for person in (finance_user, admin_user):
        api_client.force_authenticate(person)
        assert set(listed_ids(api_client.get(BUDGETS_URL))) == {budget.pk, other_budget.pk}


def test_agents_and_people_without_a_team_may_not_list_budgets(
    api_client, agent, organiser, nobody, budget
):
    for person in (agent, organiser, nobody):
        api_client.force_authenticate(person)
        assert api_client.get(BUDGETS_URL).status_code == 403


def test_finance_allocates_a_budget_then_changes_its_amount(
    api_client, finance_user, team, programme
):
    api_client.force_authenticate(finance_user)
    body = allocation(team, programme)

    created = api_client.post(BUDGETS_URL, body, format="json")
    changed = api_client.post(BUDGETS_URL, {**body, "amount": "1750.50"}, format="json")

    assert created.status_code == 201
    assert created.json()["amount"] == "1500.00"
    assert created.json()["available"] == "1500.00"
    assert changed.status_code == 200
    assert changed.json()["id"] == created.json()["id"]
    assert changed.json()["amount"] == "1750.50"
    assert Budget.objects.get().amount == Decimal("1750.50")


def test_admin_allocates_a_budget(api_client, admin_user, team, programme):
    api_client.force_authenticate(admin_user)

    response = api_client.post(BUDGETS_URL, allocation(team, programme), format="json")

    assert response.status_code == 201


def test_managers_and_agents_may_not_allocate_budgets(api_client, manager, agent, team, programme):
    for person in (manager, agent):
        api_client.force_authenticate(person)
        response = api_client.post(BUDGETS_URL, allocation(team, programme), format="json")
        assert response.status_code == 403
    assert not Budget.objects.exists()


def test_budget_cannot_drop_below_what_is_committed_and_spent(
    api_client, finance_user, agent, log, budget
):
    log(agent, cost=Decimal("10.00"))
    log(agent, cost=Decimal("60.00"))
    api_client.force_authenticate(finance_user)
    body = {
        "team": budget.team_id,
        "programme": budget.programme_id,
        "period_start": budget.period_start.isoformat(),
        "amount": "69.99",
    }

    refused = api_client.post(BUDGETS_URL, body, format="json")
    exactly_enough = api_client.post(BUDGETS_URL, {**body, "amount": "70.00"}, format="json")

    assert refused.status_code == 409
    assert "70.00" in refused.json()["detail"]
    assert exactly_enough.status_code == 200
    assert exactly_enough.json()["available"] == "0.00"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_start", "2030-05-02"),
        ("period_start", "not a date"),
        ("amount", "-1.00"),
        ("amount", "abc"),
        ("amount", "NaN"),
        ("amount", "Infinity"),
        ("amount", "1e30"),
        ("amount", "10.001"),
        ("amount", None),
        ("team", 2**70),
        ("team", "abc"),
        ("programme", 999_999),
    ],
)
def test_bad_allocation_is_a_400_naming_the_field_and_writes_nothing(
    api_client, finance_user, team, programme, field, value
):
    api_client.force_authenticate(finance_user)

    response = api_client.post(
        BUDGETS_URL, {**allocation(team, programme), field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Budget.objects.exists()


def test_manager_asks_finance_for_a_topup(api_client, manager, budget):
    api_client.force_authenticate(manager)

    response = api_client.post(
        REQUESTS_URL,
        {"budget": budget.pk, "amount": "250.00", "reason": "Storm week: many delayed parcels."},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    request = BudgetRequest.objects.get()
    assert body["id"] == request.pk
    assert body["status"] == "pending"
    assert body["budget"] == budget.pk
    assert body["amount"] == "250.00"
    assert body["requested_by"] == manager.pk
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")


def test_another_teams_manager_cannot_ask_for_a_topup_of_a_budget_they_cannot_see(
    api_client, other_manager, budget
):
    api_client.force_authenticate(other_manager)

    response = api_client.post(
        REQUESTS_URL, {"budget": budget.pk, "amount": "250.00", "reason": "More."}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["budget"] == ["No such budget."]
    assert not BudgetRequest.objects.exists()


def test_agents_and_finance_cannot_ask_for_a_topup(api_client, agent, finance_user, budget):
    for person in (agent, finance_user):
        api_client.force_authenticate(person)
        response = api_client.post(
            REQUESTS_URL,
            {"budget": budget.pk, "amount": "250.00", "reason": "More."},
            format="json",
        )
        assert response.status_code == 403
    assert not BudgetRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0.00"),
        ("amount", "-5"),
        ("amount", "NaN"),
        ("amount", "12.345"),
        ("reason", ""),
        ("reason", "   "),
        ("reason", "x" * 2001),
        ("budget", "abc"),
        ("budget", 2**70),
    ],
)
def test_bad_topup_request_is_a_400_naming_the_field_and_writes_nothing(
    api_client, manager, budget, field, value
):
    api_client.force_authenticate(manager)
    body = {"budget": budget.pk, "amount": "250.00", "reason": "Storm week.", field: value}

    response = api_client.post(REQUESTS_URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not BudgetRequest.objects.exists()


def test_budgets_of_earlier_periods_come_after_the_current_one(
    api_client, finance_user, team, programme, budget
):
    earlier = allocated_budget(team, programme, day=date(2020, 1, 15))
    api_client.force_authenticate(finance_user)

    rows = api_client.get(BUDGETS_URL).json()["results"]

    assert [row["id"] for row in rows] == [budget.pk, earlier.pk]


# Periods inside the programme's dates; top-ups only for the current period or a later one


@pytest.mark.parametrize(
    "period_start", ["2026-02-01", "2026-09-01", "9999-12-01", "0001-01-01", "1999-12-01"]
)
def test_a_budget_outside_the_programmes_dates_is_a_400_and_writes_nothing(
    api_client, finance_user, team, programme, period_start
):
    programme.starts_on, programme.ends_on = date(2026, 3, 1), date(2026, 8, 31)
    programme.save()
    api_client.force_authenticate(finance_user)

    response = api_client.post(
        BUDGETS_URL, allocation(team, programme, period_start=period_start), format="json"
    )

    assert response.status_code == 400
    assert "period_start" in response.json()
    assert not Budget.objects.exists()


def test_a_budget_inside_the_programmes_dates_is_allocated(
    api_client, finance_user, team, programme
):
    programme.starts_on, programme.ends_on = date(2026, 3, 1), date(2026, 8, 31)
    programme.save()
    api_client.force_authenticate(finance_user)

    response = api_client.post(
        BUDGETS_URL, allocation(team, programme, period_start="2026-08-01"), format="json"
    )

    assert response.status_code == 201


def test_a_topup_for_a_period_that_is_over_is_a_400_naming_the_budget(
    api_client, manager, team, programme
):
    start = programme.period_bounds(timezone.localdate())[0]
    last_month = allocated_budget(team, programme, day=start - timedelta(days=1))
    api_client.force_authenticate(manager)

    response = api_client.post(
        REQUESTS_URL,
        {"budget": last_month.pk, "amount": "50.00", "reason": "Late invoices."},
        format="json",
    )

    assert response.status_code == 400
    [message] = response.json()["budget"]
    assert "is over" in message
    assert not BudgetRequest.objects.exists()
