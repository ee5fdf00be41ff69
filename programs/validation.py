"""Input rules shared by every way in (pages, API, commands), enforced again in the services."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

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
