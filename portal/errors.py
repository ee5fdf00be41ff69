"""The application's errors. Services raise them; pages and the API turn them into answers."""

from django.db import DatabaseError, OperationalError


class ApplicationError(Exception):
    """A request the domain refuses. ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class InvalidInput(ApplicationError):
    status = 400


class NotPermitted(ApplicationError):
    status = 403


class NotFound(ApplicationError):
    status = 404


class Conflict(ApplicationError):
    """The object's state forbids the change: already decided, no budget left, full."""

    status = 409


BUSY_MESSAGE = (
    "The portal is busy: someone else is changing the same thing right now. Nothing was "
    "changed. Please try again in a few seconds."
)
RETRY_AFTER_SECONDS = 5

# PostgreSQL's SQLSTATEs that mean "not now": the transaction was rolled back whole and the
# same request may simply be sent again.
_BUSY_SQLSTATES = {
    "55P03": "lock_timeout",  # lock_not_available: lock_timeout ran out
    "57014": "statement_timeout",  # query_canceled: statement_timeout ran out
    "40P01": "deadlock",  # deadlock_detected: the lock order was broken somewhere
}


class Busy(Exception):
    """The database could not do it in time: a lock stayed taken or a statement ran too long.

    Not an ApplicationError: nothing is wrong with the request, so no form shows it as an
    error; the page or API answers 503 with ``Retry-After`` (``portal.middleware``).
    """

    message = BUSY_MESSAGE
    retry_after = RETRY_AFTER_SECONDS

    def __init__(self, what: str = "", *, cause: str = "busy"):
        super().__init__(what or cause)
        self.what = what
        self.cause = cause


class LockTimeout(Busy):
    """A lock the change needs stayed taken longer than the lock timeout (programs.locking)."""


def as_busy(error: BaseException) -> Busy | None:
    """The one place that decides which failures mean "busy, try again"; None for the rest."""
    if isinstance(error, Busy):
        return error
    if not isinstance(error, DatabaseError):
        return None
    cause = _BUSY_SQLSTATES.get(getattr(error.__cause__, "sqlstate", None) or "")
    if cause == "lock_timeout":
        return LockTimeout(cause=cause)
    if cause is not None:
        return Busy(cause=cause)
    # SQLite's own lock wait (the embedded default's "timeout" option) running out.
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        return LockTimeout(cause="sqlite_busy")
    return None
