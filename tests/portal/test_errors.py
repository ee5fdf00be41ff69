"""Which failures mean "busy, try again": the one place that decides it."""

import sqlite3

import pytest
from django.db import IntegrityError, OperationalError
from django.db.utils import ConnectionHandler

from portal.errors import Busy, LockTimeout, as_busy


def test_sqlite_giving_up_on_its_write_lock_is_busy_too(tmp_path, django_db_blocker):
    """The embedded default: SQLite's own wait for the write lock runs out."""
    path = tmp_path / "portal.sqlite3"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x int)")
    holder.commit()
    holder.execute("BEGIN IMMEDIATE")
    portal = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {"timeout": 0},
            }
        }
    )["default"]
    try:
        with (
            django_db_blocker.unblock(),
            pytest.raises(OperationalError) as raised,
            portal.cursor() as cursor,
        ):
            cursor.execute("INSERT INTO t VALUES (1)")
    finally:
        portal.close()
        holder.rollback()
        holder.close()
    busy = as_busy(raised.value)
    assert isinstance(busy, LockTimeout) and busy.cause == "sqlite_busy"


def test_other_database_errors_are_not_busy():
    assert as_busy(IntegrityError("duplicate key")) is None
    assert as_busy(ValueError("no")) is None
    mine = LockTimeout("audit-chain", cause="lock_timeout")
    assert as_busy(mine) is mine and isinstance(mine, Busy)
