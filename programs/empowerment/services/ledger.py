"""Where a team budget's money moves: the only code that changes a budget's allocated,
committed or spent amounts once it exists (allocating one is ``budgets.allocate_budget``).

Each operation takes a budget the caller has locked (``select_for_update``, in the order of
portal/locking.py), changes it and saves only what it changed. The caller decides whether the
move is allowed and writes its audit entry, with the budget's figures before and after, in the
same transaction. The database's check constraints (nothing negative, committed and spent
within the allocation) refuse whatever a caller got wrong.
"""

from decimal import Decimal

from programs.empowerment.models import Budget


def reserve(budget: Budget, amount: Decimal) -> None:
    """Hold money for a gesture waiting for approval."""
    budget.committed += amount
    budget.save(update_fields=["committed", "updated_at"])


def release(budget: Budget, amount: Decimal) -> None:
    """Give back what was held for a gesture that was declined or withdrawn."""
    budget.committed -= amount
    budget.save(update_fields=["committed", "updated_at"])


def spend(budget: Budget, amount: Decimal, *, held: Decimal = Decimal(0)) -> None:
    """Spend ``amount``, first releasing ``held`` (what was reserved for it while it waited)."""
    budget.committed -= held
    budget.spent += amount
    budget.save(update_fields=["committed", "spent", "updated_at"])


def top_up(budget: Budget, amount: Decimal) -> None:
    """Grow the allocation by an approved top-up."""
    budget.amount += amount
    budget.save(update_fields=["amount", "updated_at"])
