"""Serializer fields shared by the empowerment API."""

from decimal import Decimal

from rest_framework import serializers

from portal.errors import InvalidInput
from programs.models.money import MAX_AMOUNT
from programs.validation import clean_amount

# Largest id a filter accepts: SQLite cannot even compare a foreign key with a bigger integer,
# so a longer number would be a 500 instead of an empty list.
MAX_ID = 2**63 - 1


class AmountField(serializers.DecimalField):
    """Money in, judged by the same rule as every other way in (``clean_amount``), so NaN,
    infinities, absurd sizes and fractions of a penny are refused alike everywhere."""

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
