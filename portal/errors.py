"""The application's errors. Services raise them; pages and the API turn them into answers."""


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
