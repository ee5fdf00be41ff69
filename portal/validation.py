"""Input rules shared by every way in (pages, API, commands), enforced again in the services.

Numbers, amounts, ids and dates are typed with the ASCII digits 0 to 9 only: Python reads
Arabic-Indic or full-width digits as numbers too, and a number that reads differently to the
person who typed it than to the portal is not one to store. Text is checked for the
characters its kind allows (``portal.validators``).
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from portal.errors import InvalidInput
from portal.money import MAX_AMOUNT
from portal.validators import EARLIEST_DAY, LATEST_DAY, MAX_ID, TextKind, text_problem

OUT_OF_RANGE = "Enter a date between 2000 and 2100."

_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,9})?")
_SPECIAL_AMOUNT = re.compile(r"[+-]?(?:nan|snan|inf|infinity)", re.IGNORECASE)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={field: [message]})


def digits_problem(text: str, *, example: str) -> str | None:
    """A message when ``text`` holds digits other than 0 to 9 (Arabic-Indic, full-width...),
    naming them, so the person knows what to change; None otherwise. Callers refuse any other
    non-ASCII text with their own message."""
    if not any(ch.isnumeric() for ch in text if not ch.isascii()):
        return None
    return f"Use the digits 0 to 9, as in {example}."


def clean_amount(value, *, field: str = "cost", allow_zero: bool = True) -> Decimal:
    """A finite, non-negative amount with at most two decimal places, below MAX_AMOUNT, typed
    with the digits 0 to 9 (a JSON number is fine; ``true`` is not)."""
    enter = "Enter an amount such as 12.50."
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _invalid(field, enter)
    else:
        text = str(value).strip()
        problem = digits_problem(text, example="12.50")
        if problem:
            raise _invalid(field, problem)
        if not (_AMOUNT.fullmatch(text) or _SPECIAL_AMOUNT.fullmatch(text)):
            raise _invalid(field, enter)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _invalid(field, enter) from None
    problem = None
    if not amount.is_finite():
        problem = enter
    elif amount < 0:
        problem = "The amount cannot be negative."
    elif amount == 0 and not allow_zero:
        problem = "The amount must be more than zero."
    elif amount > MAX_AMOUNT:
        problem = f"The amount cannot be more than {MAX_AMOUNT:,}."
    elif amount.as_tuple().exponent < -2:
        problem = "Use at most two decimal places."
    if problem:
        raise _invalid(field, problem)
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


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = True,
    kind: TextKind = TextKind.LINE,
) -> str:
    """Text as typed, trimmed: a single line unless ``kind`` says it may have several
    (``TextKind.TEXT``) or that it identifies something (``TextKind.REFERENCE``)."""
    if value is not None and not isinstance(value, str):
        raise _invalid(field, "Enter text.")
    text = (value or "").strip()
    problem = text_problem(text, kind)
    if problem:
        raise _invalid(field, problem)
    if required and not text:
        raise _invalid(field, "This field is required.")
    if len(text) > max_length:
        raise _invalid(
            field, f"Keep this to {max_length} characters or fewer (it has {len(text)})."
        )
    return text


def clean_optional_text(value: str | None, *, field: str, max_length: int) -> str:
    """Text of several lines that may be left empty: a description, a reason, a need."""
    return clean_text(value, field=field, max_length=max_length, required=False, kind=TextKind.TEXT)


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


def whole_number(value) -> int | None:
    """``value`` as an int when it is one, or a string of the digits 0 to 9 (with a sign);
    otherwise None. Never ``True``, ``1.5``, ``"1.0"`` or Arabic-Indic digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(text := value.strip()):
        return int(text)
    return None


def clean_count(value, *, field: str, least: int, most: int) -> int:
    """A whole number from ``least`` to ``most``: a party size, a capacity, a use limit."""
    message = f"Enter a whole number from {least} to {most}."
    number = whole_number(value)
    if number is None:
        raise _invalid(field, digits_problem(str(value), example=str(least)) or message)
    if not least <= number <= most:
        raise _invalid(field, message)
    return number


def clean_id(value, *, field: str) -> int:
    """An id: a whole number from 1 to MAX_ID, as JSON integer or as digits."""
    number = whole_number(value)
    if number is None:
        raise _invalid(
            field, digits_problem(str(value), example="12") or "Enter an id: a whole number."
        )
    if not 1 <= number <= MAX_ID:
        raise _invalid(field, f"Enter an id from 1 to {MAX_ID}.")
    return number


def clean_date(value, *, field: str, earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY):
    """A calendar date, as a ``date`` or as ``YYYY-MM-DD`` in the digits 0 to 9, between
    ``earliest`` and ``latest``."""
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise _invalid(field, "Enter a date such as 2026-05-14.")
    if isinstance(value, str):
        text = value.strip()
        problem = digits_problem(text, example="2026-05-14")
        if problem:
            raise _invalid(field, problem)
        try:
            value = date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else None
        except ValueError:
            value = None
        if value is None:
            raise _invalid(field, "Enter a date such as 2026-05-14.")
    check_day_in_range(value, field=field, earliest=earliest, latest=latest)
    return value


def check_day_in_range(
    day: date, *, field: str, earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY
) -> None:
    if isinstance(day, datetime):
        day = day.date()
    if not earliest <= day <= latest:
        if (earliest, latest) == (EARLIEST_DAY, LATEST_DAY):
            raise _invalid(field, OUT_OF_RANGE)
        raise _invalid(field, f"Enter a date from {earliest.isoformat()} to {latest.isoformat()}.")


def clean_month(value, *, field: str, earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY):
    """A month as ``YYYY-MM`` (or a date in it), cleaned to its first day."""
    if isinstance(value, str) and _ISO_MONTH.fullmatch(value.strip()):
        value = value.strip() + "-01"
    try:
        day = clean_date(value, field=field)
    except InvalidInput:
        raise _invalid(field, "Enter a month such as 2026-05.") from None
    first = day.replace(day=1)
    if not earliest.replace(day=1) <= first <= latest:
        raise _invalid(field, f"Choose a month from {earliest:%Y-%m} to {latest:%Y-%m}.")
    return first


class FieldErrors:
    """Collects every field's error, so one answer names them all:

    ``name = errors.check(clean_text, value, field="name", max_length=150)`` … then
    ``errors.raise_any()``.
    """

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        # The answer's headline: what the first refusal said of itself ("Unknown channel."),
        # beside the words for each field ("Choose a channel.").
        self.message = ""

    def check(self, clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except InvalidInput as error:
            self.message = self.message or error.message
            for name, messages in (error.field_errors or {"": [error.message]}).items():
                self.fields.setdefault(name, []).extend(messages)
            return None

    def add(self, name: str, message: str) -> None:
        self.message = self.message or message
        self.fields.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.fields:
            raise InvalidInput(self.message, field_errors=self.fields)


def clean_moment(value, *, field: str) -> datetime:
    """A time, as a ``datetime`` (a naive one is in the portal's time zone), between 2000 and
    2100."""
    if not isinstance(value, datetime):
        raise _invalid(field, "Enter a date and time.")
    moment = as_aware(value)
    check_day_in_range(moment, field=field)
    return moment


def as_aware(moment: datetime) -> datetime:
    """A time as typed is in the portal's time zone unless it says otherwise."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
