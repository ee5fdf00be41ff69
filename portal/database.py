"""Limits on how long PostgreSQL lets a connection wait for a lock and run one statement.

They travel in libpq's startup ``options``, so they cost no round trip: the web process gets
the ``DATABASE_…`` values from settings, and a Celery worker switches to its ``WORKER_…``
values when it starts (portal/celery.py). Behind a pooler that drops startup options
(PgBouncer in transaction mode), set them on the database role instead (see docs/operations.md).
"""

import re

from django.conf import settings
from django.db import connections

_OURS = re.compile(r"^-c lock_timeout=\d+ -c statement_timeout=\d+ ?")


def use_limits(database: dict, *, lock_timeout: float, statement_timeout: float) -> None:
    """Make every new connection to ``database`` (an entry of DATABASES) carry these limits,
    in seconds; 0 means no limit. Options given in DATABASE_URL come after ours, so they win."""
    options = database.setdefault("OPTIONS", {})
    theirs = _OURS.sub("", options.get("options", "")).strip()
    ours = f"-c lock_timeout={_ms(lock_timeout)} -c statement_timeout={_ms(statement_timeout)}"
    options["options"] = f"{ours} {theirs}".strip()


def use_worker_limits() -> None:
    """Switch this process to the worker's limits: connections opened from now on carry them."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    # The connection handler reads this very dict when it opens a connection.
    use_limits(
        settings.DATABASES["default"],
        lock_timeout=settings.WORKER_DATABASE_LOCK_TIMEOUT,
        statement_timeout=settings.WORKER_DATABASE_STATEMENT_TIMEOUT,
    )
    connections.close_all()


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))
