"""Input rules shared by every way in (pages, API, commands), enforced again in the services."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from portal.errors import InvalidInput
from programs.models.money import MAX_AMOUNT


def clean_amount(value, *, field: str = "cost", allow_zero: bool = True) -> Decimal:
    """A finite, non-negative amount with at most two decimal places, below MAX_AMOUNT."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(
            "Enter an amount.", field_errors={field: ["Enter an amount such as 12.50."]}
        ) from None
    problem = None
    if not amount.is_finite():
        problem = "Enter an amount such as 12.50."
    elif amount < 0:
        problem = "The amount cannot be negative."
    elif amount == 0 and not allow_zero:
        problem = "The amount must be more than zero."
    elif amount > MAX_AMOUNT:
        problem = f"The amount cannot be more than {MAX_AMOUNT:,}."
    elif amount.as_tuple().exponent < -2:
        problem = "Use at most two decimal places."
    if problem:
        raise InvalidInput(problem, field_errors={field: [problem]})
    return amount.quantize(Decimal("0.01"))


# A gesture is logged while it is fresh; a year back covers any late entry and keeps the
# dates that budgets and duplicate checks work with inside a sensible range.
OLDEST_GESTURE = timedelta(days=366)


def clean_past_date(value: date, *, today: date, field: str = "occurred_on") -> date:
    if value > today:
        message = "The date cannot be in the future."
        raise InvalidInput(message, field_errors={field: [message]})
    if value < today - OLDEST_GESTURE:
        message = "Gestures more than a year old cannot be logged."
        raise InvalidInput(message, field_errors={field: [message]})
    return value


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(
            "This field is required.", field_errors={field: ["This field is required."]}
        )
    if len(text) > max_length:
        message = f"Keep this to {max_length} characters or fewer (it has {len(text)})."
        raise InvalidInput(message, field_errors={field: [message]})
    return text


def customer_key(customer_ref: str) -> str:
    """The form of a customer reference used to match gestures for the same customer.

    Agents type the same ticket as "CRM-77", "crm 77" or "CRM77"; only letters and digits
    identify it.
    """
    return "".join(ch for ch in customer_ref.lower() if ch.isalnum()) or customer_ref.strip()


def clean_email(value: str | None, *, field: str = "email") -> str:
    """An e-mail address as typed, trimmed; compared elsewhere without regard to case."""
    email = clean_text(value, field=field, max_length=254)
    try:
        validate_email(email)
    except ValidationError:
        message = "Enter an e-mail address such as name@example.com."
        raise InvalidInput(message, field_errors={field: [message]}) from None
    return email


def clean_count(value, *, field: str, least: int, most: int) -> int:
    """A whole number from ``least`` to ``most``: a party size, a capacity, a use limit."""
    message = f"Enter a whole number from {least} to {most}."
    if isinstance(value, bool):
        raise InvalidInput(message, field_errors={field: [message]})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(message, field_errors={field: [message]}) from None
    if not least <= number <= most:
        raise InvalidInput(message, field_errors={field: [message]})
    return number


class FieldErrors:
    """Collects every field's error, so one answer names them all:

    ``name = errors.check(clean_text, value, field="name", max_length=150)`` … then
    ``errors.raise_any()``.
    """

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def check(self, clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except InvalidInput as error:
            for name, messages in (error.field_errors or {"": [error.message]}).items():
                self.fields.setdefault(name, []).extend(messages)
            return None

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise InvalidInput(first, field_errors=self.fields)


def as_aware(moment: datetime) -> datetime:
    """A time as typed is in the portal's time zone unless it says otherwise."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
