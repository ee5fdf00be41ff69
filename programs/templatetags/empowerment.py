from datetime import date
from decimal import Decimal

from django import template

from programs import formatting
from programs.models import Programme

register = template.Library()


@register.filter
def money(amount: Decimal | str | None, currency: str = "GBP") -> str:
    """``{{ budget.amount|money:programme.currency }}`` → ``£1,000.00``."""
    return formatting.money(amount, currency)


@register.filter
def period(start: date, programme: Programme) -> str:
    """``{{ budget.period_start|period:programme }}`` → ``November 2026``."""
    return formatting.period_label(programme, start)
