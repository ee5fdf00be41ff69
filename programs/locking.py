"""Locks for rules that span rows with no natural row to lock.

Inside a transaction, take every key the change needs at once, in sorted order, so two changes
never wait on each other in opposite orders. On PostgreSQL these are transaction-scoped advisory
locks, released at commit or rollback. SQLite serialises writers on its own, so they are no-ops.
"""

import hashlib

from django.db import connection


def lock_keys(*keys: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_as_bigint(key)])


def _as_bigint(key: str) -> int:
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def agent_period_key(agent_id: int, programme_id: int, period_start) -> str:
    return f"allowance:{programme_id}:{agent_id}:{period_start.isoformat()}"


def customer_day_key(programme_id: int, customer_key: str, day) -> str:
    return f"customer-day:{programme_id}:{customer_key}:{day.isoformat()}"


def person_shifts_key(user_id: int) -> str:
    """Held while a person's shifts change, so two sign-ups at once cannot overlap."""
    return f"shifts:person:{user_id}"
