from datetime import date, datetime
from decimal import Decimal

from django import template

from portal import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | str | None, currency: str = "GBP") -> str:
    """``{{ budget.amount|money:programme.currency }}`` → ``£1,000.00``."""
    return formatting.money(amount, currency)


@register.filter
def period(start: date, programme) -> str:
    """``{{ budget.period_start|period:programme }}`` → ``November 2026``."""
    return programme.period_label(start)


@register.filter
def ago(moment: datetime | None) -> str:
    """``{{ step.created_at|ago }}`` → ``just now``, ``5 minutes ago``, ``yesterday at 17:40``,
    ``3 December``: the one way a page says when something happened."""
    if not isinstance(moment, datetime):
        return ""
    return formatting.ago(moment)


@register.filter
def full_time(moment: datetime | None) -> str:
    """``10:00 on 3 December 2026``: the exact time, for a tooltip beside ``|ago``."""
    if not isinstance(moment, datetime):
        return ""
    return formatting.clock(moment)
