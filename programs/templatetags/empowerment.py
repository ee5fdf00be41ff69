from datetime import date, datetime, timedelta
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

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


@register.filter
def ago(moment: datetime | None) -> str:
    """``{{ step.created_at|ago }}`` → ``3 hours ago``, or ``just now`` within the minute."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"
