"""Serializer fields every input serializer of the API is built from.

Each refuses what the services and the pages refuse, with the same message, before anything
reaches the database: the characters a kind of text may not hold, digits other than 0 to 9,
ids that are not whole numbers (``1.5``, ``true``), dates outside 2000-2100.
tests/programs/api/test_serializer_fields.py checks that no input serializer uses a bare DRF
field.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.errors import InvalidInput
from portal.money import MAX_AMOUNT
from portal.validation import (
    MAX_ID,
    check_day_in_range,
    clean_amount,
    clean_id,
    clean_month,
    digits_problem,
    whole_number,
)
from portal.validators import NOT_ALLOWED, TextKind, has_forbidden_characters, text_problem

__all__ = [
    "MAX_ID",
    "AmountField",
    "DayField",
    "EmailAddressField",
    "IdField",
    "IdRelatedField",
    "LineField",
    "MomentField",
    "MoneyOutField",
    "PasswordField",
    "ReferenceField",
    "SlugChoiceField",
    "TextField",
    "WebAddressField",
    "WholeNumberField",
]


def _refusal(error: InvalidInput) -> serializers.ValidationError:
    return serializers.ValidationError([m for ms in error.field_errors.values() for m in ms])


class _CheckedText:
    """Refuses the characters its kind of text may not hold (``portal.validators``)."""

    kind = TextKind.LINE

    def to_internal_value(self, data):
        if isinstance(data, str):
            problem = text_problem(data.strip(), self.kind)
            if problem:
                raise serializers.ValidationError(problem, code="forbidden_character")
        return super().to_internal_value(data)


class LineField(_CheckedText, serializers.CharField):
    """One line of text: a name, a title, a label, a search."""


class ReferenceField(_CheckedText, serializers.CharField):
    """One line that identifies something: no invisible or direction-changing characters."""

    kind = TextKind.REFERENCE


class TextField(_CheckedText, serializers.CharField):
    """Several lines: a situation, a reason, a note. Line breaks and tabs are kept."""

    kind = TextKind.TEXT


class PasswordField(serializers.CharField):
    """A password as typed: nothing trimmed, only characters no password could hold refused."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and has_forbidden_characters(data):
            raise serializers.ValidationError(NOT_ALLOWED, code="forbidden_character")
        return super().to_internal_value(data)


class EmailAddressField(_CheckedText, serializers.EmailField):
    pass


class WebAddressField(_CheckedText, serializers.URLField):
    kind = TextKind.REFERENCE


class IdField(serializers.IntegerField):
    """An id: a JSON integer or a string of the digits 0 to 9, from 1 to MAX_ID."""

    def to_internal_value(self, data) -> int:
        try:
            return clean_id(data, field="id")
        except InvalidInput as error:
            raise _refusal(error) from None


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A row named by its id, the id judged by ``IdField`` before the database is asked."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("pk_field", IdField())
        super().__init__(**kwargs)


class SlugChoiceField(serializers.SlugRelatedField):
    """A row named by its slug; what could not be a slug is refused before the database is
    asked (a NUL there would be a database error)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and has_forbidden_characters(data):
            raise serializers.ValidationError(NOT_ALLOWED, code="forbidden_character")
        if not isinstance(data, str) or not data.isascii():
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)


class WholeNumberField(serializers.IntegerField):
    """A count: a JSON integer or a string of the digits 0 to 9; not ``2.5``, ``"2.0"`` or
    ``true``."""

    def to_internal_value(self, data) -> int:
        number = whole_number(data)
        if number is None:
            raise serializers.ValidationError(
                digits_problem(str(data), example="12") or "Enter a whole number.",
                code="invalid",
            )
        return number


class _InRange:
    """Dates and times typed with the digits 0 to 9, between 2000 and 2100."""

    example = "2026-05-14"

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            problem = digits_problem(data, example=self.example)
            if problem:
                raise serializers.ValidationError(problem, code="invalid")
            self.fail("invalid", format=self.example)
        value = super().to_internal_value(data)
        try:
            check_day_in_range(value, field="day")
        except InvalidInput as error:
            raise _refusal(error) from None
        return value


class DayField(_InRange, serializers.DateField):
    """A date, ``YYYY-MM-DD``."""


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-05"})
class MonthField(serializers.Field):
    """A month, ``YYYY-MM``, as the date of its first day."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 10:
            raise serializers.ValidationError("Enter a month such as 2026-05.", code="invalid")
        try:
            return clean_month(data, field="month")
        except InvalidInput as error:
            raise _refusal(error) from None

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class MomentField(_InRange, serializers.DateTimeField):
    """A time, ISO 8601 with its offset."""

    example = "2026-06-12T10:00:00+01:00"


class AmountField(serializers.DecimalField):
    """Money in, judged by the same rule as every other way in (``clean_amount``), so NaN,
    infinities, absurd sizes, fractions of a penny and digits other than 0 to 9 are refused
    alike everywhere."""

    def __init__(self, *, allow_zero: bool = True, **kwargs) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("min_value", Decimal("0.00") if allow_zero else Decimal("0.01"))
        super().__init__(max_digits=12, decimal_places=2, max_value=MAX_AMOUNT, **kwargs)

    def to_internal_value(self, data) -> Decimal:
        try:
            return clean_amount(data, field=self.field_name, allow_zero=self.allow_zero)
        except InvalidInput as error:
            raise serializers.ValidationError(error.field_errors[self.field_name]) from None


class MoneyOutField(serializers.DecimalField):
    """Money out: a string with two places, as the API promises."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=12, decimal_places=2, read_only=True, **kwargs)
