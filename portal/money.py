from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

# Largest amount the portal accepts anywhere: ten million less a penny. Anything bigger is a
# typo or an attack, and refusing it keeps every column inside its precision.
MAX_AMOUNT = Decimal("9999999.99")


class MoneyField(models.DecimalField):
    """A non-negative amount with two decimal places, never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal("0.00"))])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        for key, value in (("max_digits", 12), ("decimal_places", 2)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        kwargs.pop("validators", None)
        return name, "portal.money.MoneyField", args, kwargs


CENT = Decimal("0.01")


def as_money(value: Decimal | int | None) -> Decimal:
    """Two decimal places, whatever the database's SUM handed back (SQLite drops them)."""
    return Decimal(value or 0).quantize(CENT)
