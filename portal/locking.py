"""Every lock a change takes, and the one order in which it takes them.

The lock order
==============

Every transaction that changes state takes its locks in this order. It may skip a step, but it
never goes back to an earlier one; so two transactions can wait for each other in only one
direction, and never deadlock.

1. **Advisory keys for people and customers** (:func:`lock_keys`), for rules that span rows with
   no natural row to lock: an agent's allowance in a period, a customer's daily limit, a
   person's shifts, a manager's delegations. All the keys a change needs, in ONE call, which
   takes them in sorted order.

2. **Rows**, table by table in the order of :data:`ROW_ORDER`, with :func:`lock_row` and
   :func:`lock_rows`, which lock only the table's own rows (``FOR UPDATE OF``, never a joined
   table's) and several rows of a table by primary key. A ``save()``, ``update()`` or
   ``delete()`` of rows not locked yet counts as locking them, at that table's place.
   Rows that every taker reaches under an earlier lock (a day's registrations, under the day's
   row) may be taken in the order that rule needs (arrival order for the waitlist).

   Foreign keys lock too: checking one takes a KEY SHARE lock on the row it points to (the
   budget of a new top-up request, the gesture of a new approval step). Django defers those
   checks to COMMIT, which would put them after the audit chain; step 3 runs them first.
   KEY SHARE conflicts only with ``FOR UPDATE``, a delete or a change of primary key, so a
   person's row, which services only update in place, is never locked ``FOR UPDATE``: an
   advisory key (step 1) serialises what needs it.

3. **The audit chain, last** (:func:`lock_audit_chain`, called by the audit trail's
   ``record``). It runs the foreign-key checks the transaction still owes and takes KEY SHARE
   on the people its entry names, then the chain's key. Nothing after it takes a new lock:
   recording is a transaction's last write (notifications are queued before it), and a change
   that writes several entries writes them together at the end. The chain is one key for the whole
   portal, held until commit, so holding it briefly is what keeps the portal fast.

Every wait has a limit
======================

PostgreSQL's ``lock_timeout`` and ``statement_timeout`` are set on every connection (settings:
``DATABASE_LOCK_TIMEOUT`` and ``DATABASE_STATEMENT_TIMEOUT`` for the web, the ``WORKER_…``
values in Celery workers). A lock that stays taken longer raises :class:`LockTimeout`, a
"busy, try again" error: the transaction rolls back whole, and the page or API answers 503
with ``Retry-After`` (``portal.middleware.BusyMiddleware``). Waits these helpers do not see
(an ``UPDATE`` behind another's row lock) are mapped the same way, from their SQLSTATE.

On SQLite, which serialises writers on its own, the advisory keys and the chain step are no-ops.
"""

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.db.models import Model, QuerySet

from portal.errors import LockTimeout, as_busy

M = TypeVar("M", bound=Model)

# Step 2: the tables whose rows are locked, in the order they are locked. A table that is not
# here is never locked row by row.
ROW_ORDER: tuple[str, ...] = (
    "accounts.Membership",
    "accounts.OrgRole",
    # Before the person: a deactivation revokes them, then switches the person off.
    "identity.PersonalToken",
    "accounts.User",
    "authtoken.Token",
    "empowerment.Budget",
    "empowerment.Gesture",
    "empowerment.ApprovalRequest",
    "empowerment.BudgetRequest",
    "empowerment.GestureReview",
    "accounts.Delegation",
    "days.AppreciationDay",
    "days.Invitation",
    "days.Shift",
    "days.ShiftSignup",
    "days.Registration",
    "stories.HiddenStory",
    "stories.Thanks",
    "notifications.Notification",
)

# Step 3: the key that serialises appends to the audit chain.
AUDIT_CHAIN = "audit-chain"


def lock_keys(*keys: str) -> None:
    """Step 1: take every advisory key the change needs, at once, in sorted order."""
    if connection.vendor != "postgresql":
        return
    for key in sorted(set(keys)):
        # Named by its kind only: a key may carry a customer's reference.
        _execute("SELECT pg_advisory_xact_lock(%s)", [_as_bigint(key)], what=key.split(":")[0])


def lock_row(queryset: QuerySet[M], pk) -> M:
    """Step 2: one row of the queryset's table, locked (``FOR UPDATE OF`` that table only).

    Raises the model's ``DoesNotExist`` like ``get()``. Joined tables (``select_related``) are
    read, not locked.
    """
    with _busy_on_timeout(f"this {queryset.model._meta.verbose_name} is being changed"):
        return queryset.select_for_update(of=("self",)).get(pk=pk)


def lock_rows(queryset: QuerySet[M], pks: Iterable) -> list[M]:
    """Step 2: several rows of one table, locked in primary-key order; rows that are gone are
    left out."""
    ids = sorted(set(pks))
    if not ids:
        return []
    with _busy_on_timeout(f"these {queryset.model._meta.verbose_name_plural} are being changed"):
        return list(queryset.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))


def lock_audit_chain(*, people: Iterable[int | None] = ()) -> None:
    """Step 3: the audit chain. Call it after every other lock of the transaction.

    Runs every foreign-key check the transaction still owes now rather than at COMMIT, so their
    KEY SHARE locks come before the chain, not after it; locks the rows of ``people`` (the
    entry's actor and principal) the same way; then takes the chain's key.
    """
    if connection.vendor != "postgresql":
        return
    run_deferred_checks()
    ids = sorted({pk for pk in people if pk is not None})
    if ids:
        meta = get_user_model()._meta
        users, pk = (connection.ops.quote_name(n) for n in (meta.db_table, meta.pk.column))
        _execute(
            f"SELECT 1 FROM {users} WHERE {pk} = ANY(%s) ORDER BY {pk} FOR KEY SHARE",  # noqa: S608
            [ids],
            what="people named in the audit trail",
        )
    lock_keys(AUDIT_CHAIN)


def run_deferred_checks() -> None:
    """Check now every deferred constraint of the rows written so far, then defer them again
    for the rows still to come. (The only deferrable constraints here are Django's foreign
    keys, all INITIALLY DEFERRED, so deferring "all" again restores exactly what was.)"""
    _execute(
        "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED",
        what="rows this change refers to",
    )


def _execute(sql: str, params: list | None = None, *, what: str) -> None:
    with _busy_on_timeout(what), connection.cursor() as cursor:
        cursor.execute(sql, params)


@contextlib.contextmanager
def _busy_on_timeout(what: str) -> Iterator[None]:
    """A lock wait that runs out becomes a LockTimeout naming what was busy."""
    try:
        yield
    except DatabaseError as error:
        busy = as_busy(error)
        if busy is None:
            raise
        raise LockTimeout(what, cause=busy.cause) from error


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


def person_delegations_key(user_id: int) -> str:
    """Held while a manager's delegations change, so two overlapping ones cannot both land."""
    return f"delegations:person:{user_id}"
