"""Running calls at the same moment, each on its own database connection, for the race tests.

Every thread closes its connections when its call ends, so a test can start hundreds of calls
without running PostgreSQL out of connections. A call that raises returns its exception, so the
test can count who won, who was refused and that nothing else went wrong.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connections

from programs.empowerment.models import Budget, Gesture, GestureStatus


def run_at_once(calls) -> list:
    """Run every call in its own thread, released together; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def run_in_pool(calls, *, workers: int = 40) -> list:
    """Run many calls on a fixed pool of threads (PostgreSQL allows about 100 connections)."""

    def guarded(call):
        try:
            return call()
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(guarded, calls))


def assert_budget_matches_its_gestures(budget: Budget) -> None:
    """After a race: the budget's spent and committed money is exactly its gestures' sums."""
    budget.refresh_from_db()
    gestures = list(Gesture.objects.filter(budget=budget))
    approved = sum((g.cost for g in gestures if g.status == GestureStatus.APPROVED), Decimal(0))
    committed = sum((g.committed_amount for g in gestures), Decimal(0))
    assert budget.spent == approved
    assert budget.committed == committed
    assert budget.committed >= 0 and budget.spent >= 0
    assert budget.committed + budget.spent <= budget.amount
