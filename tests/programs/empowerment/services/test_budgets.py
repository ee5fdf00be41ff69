from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from portal.errors import Conflict, InvalidInput, NotPermitted
from programs.audit.models import AuditEntry
from programs.empowerment.models import ApprovalRequest, Budget, BudgetRequest
from programs.empowerment.services.budgets import allocate_budget, request_topup
from programs.empowerment.services.gestures import log_gesture
from tests.factories import allocated_budget, gesture_input

pytestmark = pytest.mark.usefixtures("category")


def _start(programme) -> date:
    return programme.period_bounds(timezone.localdate())[0]


def allocate_again(budget: Budget, *, amount: str, actor: User) -> tuple[Budget, bool]:
    """Allocate the budget's own team, programme and period again, with a new amount."""
    return allocate_budget(
        team=budget.team,
        programme=budget.programme,
        period_start=budget.period_start,
        amount=amount,
        actor=actor,
    )


def test_finance_allocates_a_period_budget(team, programme, finance_user):
    budget, created = allocate_budget(
        team=team,
        programme=programme,
        period_start=_start(programme),
        amount="750",
        actor=finance_user,
    )
    assert created
    assert budget.amount == Decimal("750.00")
    assert budget.period_end == programme.period_bounds(timezone.localdate())[1]
    entry = AuditEntry.objects.get(action="budget.allocated")
    assert entry.actor == finance_user and entry.data["amount"] == "750.00"


def test_allocating_again_changes_the_amount_and_records_before_and_after(budget, finance_user):
    changed, created = allocate_again(budget, amount="1200.00", actor=finance_user)
    assert not created and changed.pk == budget.pk
    assert Budget.objects.count() == 1
    entry = AuditEntry.objects.get(action="budget.changed")
    assert entry.data == {"before": "1000.00", "after": "1200.00"}


def test_a_budget_cannot_drop_below_what_is_committed_and_spent(agent, budget, finance_user):
    log_gesture(agent=agent, **gesture_input(cost="40.00"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-2"))
    with pytest.raises(Conflict) as error:
        allocate_again(budget, amount="99.99", actor=finance_user)
    assert error.value.message == (
        "Care North has already committed £60.00 and spent £40.00 this period, "
        "so the budget cannot be less than £100.00."
    )
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")


def test_the_period_must_start_where_the_programme_periods_start(team, programme, finance_user):
    with pytest.raises(InvalidInput) as error:
        allocate_budget(
            team=team,
            programme=programme,
            period_start=date(2026, 11, 2),
            amount="1",
            actor=finance_user,
        )
    assert "period_start" in error.value.field_errors


@pytest.mark.parametrize("who", ["agent", "manager", "organiser"])
def test_only_finance_and_admins_allocate(request, who, team, programme):
    with pytest.raises(NotPermitted):
        allocate_budget(
            team=team,
            programme=programme,
            period_start=_start(programme),
            amount="10",
            actor=request.getfixturevalue(who),
        )


def test_the_database_refuses_an_overspent_budget(budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=budget.pk).update(
            spent=Decimal("900.00"), committed=Decimal("100.01")
        )


@pytest.mark.parametrize("field", ["amount", "committed", "spent"])
def test_the_database_refuses_negative_money(budget, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=budget.pk).update(**{field: Decimal("-0.01")})


def test_quarterly_periods(programme):
    programme.period = "quarterly"
    assert programme.period_bounds(date(2026, 11, 23)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert programme.period_bounds(date(2027, 2, 28)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert programme.is_period_start(date(2027, 4, 1))
    assert not programme.is_period_start(date(2027, 5, 1))


def test_a_manager_asks_finance_for_a_top_up(budget, manager):
    request = request_topup(
        budget=budget, amount="250.00", reason="Storm week: many delayed parcels", actor=manager
    )
    assert request.status == "pending"
    assert AuditEntry.objects.filter(action="budget.topup_requested").count() == 1


def test_another_teams_manager_cannot_ask_for_a_top_up(budget, other_manager):
    with pytest.raises(NotPermitted):
        request_topup(budget=budget, amount="250.00", reason="Because", actor=other_manager)
    assert BudgetRequest.objects.count() == 0


@pytest.mark.parametrize(("amount", "reason"), [("0", "More"), ("-5", "More"), ("10", "  ")])
def test_a_top_up_needs_a_positive_amount_and_a_reason(budget, manager, amount, reason):
    with pytest.raises(InvalidInput):
        request_topup(budget=budget, amount=amount, reason=reason, actor=manager)


# Periods inside the programme's dates; top-ups only for the current period or a later one


def test_budgets_only_for_periods_inside_the_programmes_dates(team, programme, finance_user):
    programme.starts_on, programme.ends_on = date(2026, 3, 15), date(2026, 8, 10)
    programme.save()

    for outside in (date(2026, 2, 1), date(2026, 9, 1), date(2030, 1, 1)):
        with pytest.raises(InvalidInput) as caught:
            allocate_budget(
                team=team,
                programme=programme,
                period_start=outside,
                amount="10",
                actor=finance_user,
            )
        assert caught.value.field_errors["period_start"] == [
            "Empathy in Action has budgets from March 2026 to August 2026: choose a period "
            "inside them."
        ]
    # The periods holding its first and last day are its own.
    for inside in (date(2026, 3, 1), date(2026, 8, 1)):
        allocate_budget(
            team=team, programme=programme, period_start=inside, amount="10", actor=finance_user
        )
    assert sorted(Budget.objects.values_list("period_start", flat=True)) == [
        date(2026, 3, 1),
        date(2026, 8, 1),
    ]


@pytest.mark.parametrize("start", [date(1, 1, 1), date(1999, 12, 1), date(9999, 12, 1)])
def test_a_programme_without_dates_still_keeps_budgets_to_2000_to_2100(
    team, programme, finance_user, start
):
    audit_entries = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as caught:
        allocate_budget(
            team=team, programme=programme, period_start=start, amount="10", actor=finance_user
        )
    assert "period_start" in caught.value.field_errors
    assert not Budget.objects.exists()
    assert AuditEntry.objects.count() == audit_entries


def test_the_database_refuses_a_programme_ending_before_it_starts(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(programme).objects.filter(pk=programme.pk).update(
            starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 30)
        )


def test_no_budget_rolls_over_past_the_programmes_end(team, programme, finance_user):
    from programs.empowerment.services.budgets import roll_over_budgets

    start = _start(programme)
    last_month = programme.period_bounds(start - timedelta(days=1))[0]
    allocate_budget(
        team=team, programme=programme, period_start=last_month, amount="10", actor=finance_user
    )
    programme.ends_on = start - timedelta(days=1)
    programme.save()

    assert roll_over_budgets() == 0
    assert not Budget.objects.filter(period_start=start).exists()


def test_a_top_up_only_for_the_current_period_or_a_later_one(team, programme, manager):
    start = _start(programme)
    last_month = allocated_budget(team, programme, day=start - timedelta(days=1))
    next_month = allocated_budget(team, programme, day=start + timedelta(days=40))
    audit_entries = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as caught:
        request_topup(budget=last_month, amount="50", reason="Late invoices", actor=manager)

    [message] = caught.value.field_errors["budget"]
    assert message.endswith(
        "is over: ask for a top-up of the current period's budget or a later one."
    )
    assert not BudgetRequest.objects.exists()
    assert not ApprovalRequest.objects.exists()
    assert AuditEntry.objects.count() == audit_entries
    assert request_topup(budget=next_month, amount="50", reason="Planned", actor=manager).pk


# Sharpened against the mutation run of programs/services/budgets.py (scripts/mutation).

NOVEMBER = date(2026, 11, 1)


def _allocate(team, programme, actor, amount, period_start=NOVEMBER):
    return allocate_budget(
        team=team, programme=programme, period_start=period_start, amount=amount, actor=actor
    )[0]


def test_a_new_budget_records_its_team_period_amount_and_who_allocated_it(
    team, programme, finance_user
):
    budget = _allocate(team, programme, finance_user, "750")

    budget.refresh_from_db()
    assert (budget.period_start, budget.period_end) == (NOVEMBER, date(2026, 11, 30))
    assert (budget.amount, budget.allocated_by) == (Decimal("750.00"), finance_user)
    entry = AuditEntry.objects.get(action="budget.allocated")
    assert (entry.actor, entry.subject_id) == (finance_user, str(budget.pk))
    assert entry.data == {"team": team.pk, "period_start": "2026-11-01", "amount": "750.00"}


def test_a_changed_budget_keeps_the_new_amount_and_who_changed_it(budget, admin_user):
    allocate_again(budget, amount="1200.00", actor=admin_user)

    budget.refresh_from_db()
    assert (budget.amount, budget.allocated_by) == (Decimal("1200.00"), admin_user)
    assert AuditEntry.objects.get(action="budget.changed").actor == admin_user


def test_a_budget_may_drop_to_exactly_what_is_committed_and_spent(agent, budget, finance_user):
    log_gesture(agent=agent, **gesture_input(cost="40.00"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-2"))

    allocate_again(budget, amount="100.00", actor=finance_user)

    budget.refresh_from_db()
    assert budget.amount == Decimal("100.00")


def test_a_period_start_that_is_not_one_says_where_the_period_starts(team, programme, finance_user):
    with pytest.raises(InvalidInput) as error:
        _allocate(team, programme, finance_user, "1", period_start=date(2026, 11, 2))

    assert error.value.field_errors == {
        "period_start": ["A monthly period starts on 1 November 2026."]
    }
    assert not Budget.objects.exists()


def test_a_top_up_request_keeps_its_amount_reason_and_who_asked(budget, manager):
    request = request_topup(budget=budget, amount="250.00", reason="Storm week", actor=manager)

    request.refresh_from_db()
    assert (request.budget, request.amount, request.reason, request.requested_by) == (
        budget,
        Decimal("250.00"),
        "Storm week",
        manager,
    )
    entry = AuditEntry.objects.get(action="budget.topup_requested")
    assert (entry.actor, entry.subject_id) == (manager, str(request.pk))
    assert entry.data == {"budget": budget.pk, "amount": "250.00", "reason": "Storm week"}


def test_a_top_up_may_be_asked_for_until_the_last_day_of_its_period(team, programme, manager):
    budget = allocated_budget(team, programme, day=NOVEMBER)

    assert request_topup(
        budget=budget, amount="50", reason="Late invoices", actor=manager, today=date(2026, 11, 30)
    ).pk
    with pytest.raises(InvalidInput) as caught:
        request_topup(
            budget=budget, amount="50", reason="Too late", actor=manager, today=date(2026, 12, 1)
        )

    assert caught.value.field_errors == {
        "budget": [
            "November 2026 is over: ask for a top-up of the current period's budget or a later one."
        ]
    }
    assert BudgetRequest.objects.count() == 1


def test_every_team_with_a_budget_last_period_gets_the_same_amount_this_period(
    team, other_team, programme, finance_user
):
    from programs.empowerment.services.budgets import roll_over_budgets

    october = {
        team: _allocate(team, programme, finance_user, "750", period_start=date(2026, 10, 1)),
        other_team: _allocate(
            other_team, programme, finance_user, "300", period_start=date(2026, 10, 1)
        ),
    }

    assert roll_over_budgets(today=date(2026, 11, 17)) == 2

    for rolled_team, previous in october.items():
        budget = Budget.objects.get(team=rolled_team, period_start=NOVEMBER)
        assert (budget.period_end, budget.amount) == (date(2026, 11, 30), previous.amount)
        entry = AuditEntry.objects.get(action="budget.allocated", subject_id=str(budget.pk))
        assert entry.actor is None
        assert entry.data == {
            "team": rolled_team.pk,
            "period_start": "2026-11-01",
            "amount": str(previous.amount),
            "rolled_over_from": previous.pk,
        }
    assert roll_over_budgets(today=date(2026, 11, 18)) == 0


def test_a_team_with_a_budget_this_period_keeps_it(team, programme, finance_user):
    from programs.empowerment.services.budgets import roll_over_budgets

    _allocate(team, programme, finance_user, "750", period_start=date(2026, 10, 1))
    this_period = _allocate(team, programme, finance_user, "100")
    audit_entries = AuditEntry.objects.count()

    assert roll_over_budgets(today=date(2026, 11, 17)) == 0

    this_period.refresh_from_db()
    assert this_period.amount == Decimal("100.00")
    assert AuditEntry.objects.count() == audit_entries


def test_only_last_periods_budgets_roll_over(team, programme, finance_user):
    from programs.empowerment.services.budgets import roll_over_budgets

    _allocate(team, programme, finance_user, "750", period_start=date(2026, 9, 1))

    assert roll_over_budgets(today=date(2026, 11, 17)) == 0
    assert not Budget.objects.filter(period_start=NOVEMBER).exists()


def test_nothing_rolls_over_without_an_active_programme(team, programme, finance_user):
    from programs.empowerment.services.budgets import roll_over_budgets

    _allocate(team, programme, finance_user, "750", period_start=date(2026, 10, 1))
    programme.is_active = False
    programme.save()

    assert roll_over_budgets(today=date(2026, 11, 17)) == 0
    assert not Budget.objects.filter(period_start=NOVEMBER).exists()


def test_someone_without_the_right_is_told_only_finance_allocates(team, programme, manager):
    with pytest.raises(NotPermitted) as error:
        _allocate(team, programme, manager, "10")

    assert error.value.message == "Only finance can allocate budgets."


def test_an_amount_that_is_not_one_is_refused_beside_the_amount(team, programme, finance_user):
    with pytest.raises(InvalidInput) as error:
        _allocate(team, programme, finance_user, "ten pounds")

    assert list(error.value.field_errors) == ["amount"]


def test_a_period_outside_the_programme_says_so_in_the_message_too(team, programme, finance_user):
    programme.ends_on = date(2026, 8, 10)
    programme.save()

    with pytest.raises(InvalidInput) as error:
        _allocate(team, programme, finance_user, "10")

    assert error.value.message == error.value.field_errors["period_start"][0]
    assert error.value.message.startswith("Empathy in Action has budgets from ")


def test_a_misaligned_period_says_so_in_the_message_too(team, programme, finance_user):
    with pytest.raises(InvalidInput) as error:
        _allocate(team, programme, finance_user, "1", period_start=date(2026, 11, 2))

    assert error.value.message == "A monthly period starts on 1 November 2026."


def test_each_team_and_programme_has_its_own_budget_for_a_period(
    team, other_team, programme, finance_user
):
    from tests.factories import ProgrammeFactory

    other_programme = ProgrammeFactory(name="Winter Warmers", is_active=False)
    ours = _allocate(team, programme, finance_user, "750")

    theirs = _allocate(other_team, programme, finance_user, "300")
    winter = _allocate(team, other_programme, finance_user, "50")

    assert len({ours.pk, theirs.pk, winter.pk}) == 3
    ours.refresh_from_db()
    assert ours.amount == Decimal("750.00")
    assert AuditEntry.objects.filter(action="budget.changed").count() == 0


def test_a_floor_in_euros_is_explained_in_euros(agent, team, programme, finance_user):
    programme.currency = "EUR"
    programme.save()
    budget = allocated_budget(team, programme)
    log_gesture(agent=agent, **gesture_input(cost="40.00"))
    log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-2"))

    with pytest.raises(Conflict) as error:
        allocate_budget(
            team=team,
            programme=programme,
            period_start=budget.period_start,
            amount="99.99",
            actor=finance_user,
        )

    assert error.value.message == (
        "Care North has already committed €60.00 and spent €40.00 this period, "
        "so the budget cannot be less than €100.00."
    )


def test_another_programmes_budgets_do_not_roll_over(team, programme, finance_user):
    from programs.empowerment.services.budgets import roll_over_budgets
    from tests.factories import ProgrammeFactory

    other_programme = ProgrammeFactory(name="Winter Warmers", is_active=False)
    _allocate(team, other_programme, finance_user, "50", period_start=date(2026, 10, 1))

    assert roll_over_budgets(today=date(2026, 11, 17)) == 0
    assert not Budget.objects.filter(period_start=NOVEMBER).exists()


@pytest.mark.django_db(transaction=True)
def test_two_allocations_of_one_new_budget_at_the_same_moment_one_is_told_to_reload(
    team, programme, finance_user, admin_user, patient_locks
):
    import threading
    import time

    from django.db import connection, connections

    outcome = {}

    def second_allocation():
        try:
            _allocate(team, programme, admin_user, "900")
        except Conflict as error:
            outcome["message"] = error.message
        finally:
            connections.close_all()

    with transaction.atomic():
        _allocate(team, programme, finance_user, "750")
        racer = threading.Thread(target=second_allocation)
        racer.start()
        # Not committed yet: the second allocation finds no budget, inserts, and waits on ours.
        with connection.cursor() as cursor:
            for _ in range(200):
                # Statistics are read once per transaction unless the snapshot is dropped.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
    racer.join(timeout=30)

    assert outcome == {
        "message": "Someone allocated this budget at the same moment; reload and try again."
    }
    assert Budget.objects.get().amount == Decimal("750.00")
