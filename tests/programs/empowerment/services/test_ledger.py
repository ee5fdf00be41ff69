"""Where money moves (programs/services/ledger.py): each operation changes exactly the figures it
names and saves them; the database refuses a move that would overspend or go negative; and no
other code changes a budget's figures."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

import programs as programs_package
from programs.empowerment.models import Budget
from programs.empowerment.services import ledger
from tests.factories import allocated_budget

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def budget(team, programme):
    return allocated_budget(team, programme, amount="500.00")


def figures(budget: Budget) -> tuple[Decimal, Decimal, Decimal]:
    stored = Budget.objects.get(pk=budget.pk)
    return stored.amount, stored.committed, stored.spent


def test_reserving_holds_money_and_releasing_gives_it_back(budget):
    ledger.reserve(budget, D("60.00"))
    assert figures(budget) == (D("500.00"), D("60.00"), D("0.00"))
    assert budget.available == D("440.00")

    ledger.release(budget, D("60.00"))
    assert figures(budget) == (D("500.00"), D("0.00"), D("0.00"))


def test_spending_what_was_held_moves_it_from_committed_to_spent(budget):
    ledger.reserve(budget, D("60.00"))
    ledger.spend(budget, D("60.00"), held=D("60.00"))
    assert figures(budget) == (D("500.00"), D("0.00"), D("60.00"))


def test_moves_add_up_on_what_is_already_there(budget):
    ledger.reserve(budget, D("60.00"))
    ledger.reserve(budget, D("40.00"))
    ledger.spend(budget, D("25.50"))
    ledger.spend(budget, D("10.00"))
    assert figures(budget) == (D("500.00"), D("100.00"), D("35.50"))


@pytest.mark.parametrize(
    ("move", "untouched"),
    [
        (lambda budget: ledger.reserve(budget, D("10.00")), "spent"),
        (lambda budget: ledger.release(budget, D("0.00")), "spent"),
        (lambda budget: ledger.spend(budget, D("10.00")), "amount"),
        (lambda budget: ledger.top_up(budget, D("10.00")), "spent"),
    ],
    ids=["reserve", "release", "spend", "top_up"],
)
def test_each_move_writes_only_the_figures_it_changes(budget, move, untouched):
    """What else the caller's copy of the budget says is not the ledger's to write."""
    stored = getattr(Budget.objects.get(pk=budget.pk), untouched)
    setattr(budget, untouched, D("1.23"))
    move(budget)
    assert getattr(Budget.objects.get(pk=budget.pk), untouched) == stored


def test_spending_at_once_holds_nothing_first(budget):
    ledger.spend(budget, D("25.50"))
    assert figures(budget) == (D("500.00"), D("0.00"), D("25.50"))


def test_a_top_up_grows_the_allocation_only(budget):
    ledger.reserve(budget, D("10.00"))
    ledger.top_up(budget, D("250.00"))
    assert figures(budget) == (D("750.00"), D("10.00"), D("0.00"))


@pytest.mark.parametrize(
    "move",
    [
        lambda budget: ledger.reserve(budget, D("500.01")),
        lambda budget: ledger.spend(budget, D("500.01")),
        lambda budget: ledger.release(budget, D("0.01")),
    ],
    ids=["reserve-more-than-available", "spend-more-than-available", "release-unheld"],
)
def test_the_database_refuses_a_move_that_overspends_or_goes_negative(budget, move):
    with pytest.raises(IntegrityError), transaction.atomic():
        move(budget)
    assert figures(budget) == (D("500.00"), D("0.00"), D("0.00"))


def test_the_exact_amount_available_can_be_reserved(budget):
    """The control for the test above: the boundary itself is allowed."""
    ledger.reserve(budget, D("500.00"))
    assert figures(budget) == (D("500.00"), D("500.00"), D("0.00"))


def test_no_other_code_changes_a_budgets_figures():
    """Money moves in one module: anywhere else, `.committed +=` and its kind are a second
    place to look for how money moves (allocating a new budget sets its amount, once, in
    services/budgets.py)."""
    programs = Path(programs_package.__file__).resolve().parent
    moves = re.compile(r"\.(amount|committed|spent)\s*[-+]=")
    found = [
        f"{path.relative_to(programs.parent)}:{number}"
        for path in programs.rglob("*.py")
        if path.name != "ledger.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if moves.search(line)
    ]
    assert found == []
