"""Locks held by another connection while a test's request runs into them."""

import contextlib
import threading
from collections.abc import Iterator

from django.db import connection, connections, transaction

from portal import locking
from programs.empowerment.models import Budget

HELD_AT_MOST = 20  # the holder lets go by itself, so a request that waits shows as slow


@contextlib.contextmanager
def held(sql: str, params: list) -> Iterator[None]:
    """Another connection runs ``sql`` in a transaction and keeps it open until the block ends."""
    ready, done = threading.Event(), threading.Event()
    failed: list[Exception] = []

    def hold():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                ready.set()
                done.wait(timeout=HELD_AT_MOST)
        except Exception as error:
            failed.append(error)
        finally:
            ready.set()
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert ready.wait(timeout=10) and not failed, failed
    try:
        yield
    finally:
        done.set()
        holder.join(timeout=HELD_AT_MOST + 5)


def budget_row_held(budget: Budget):
    return held("SELECT id FROM programs_budget WHERE id = %s FOR UPDATE", [budget.pk])


def audit_chain_held():
    return held("SELECT pg_advisory_xact_lock(%s)", [locking._as_bigint(locking.AUDIT_CHAIN)])
