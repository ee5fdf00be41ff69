"""Amounts, days and times in the plain words the pages, e-mails and notifications show people."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
CENT = Decimal("0.01")


def day_label(day: date) -> str:
    """``3 December 2026``: no leading zero, on every platform."""
    return f"{day.day} {day:%B %Y}"


def clock(moment: datetime) -> str:
    """``10:00 on 3 December 2026``, in the portal's time zone."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {day_label(local.date())}"


def ago(moment: datetime, *, now: datetime | None = None) -> str:
    """When something happened, as a person would say it, in the portal's time zone.

    ``just now`` within the minute, ``5 minutes ago``, ``3 hours ago`` for the last few hours;
    then the day: ``today at 09:12``, ``yesterday at 17:40``, ``3 December``, and
    ``3 December 2025`` from another year. A moment ahead of the clock (another server's clock
    running fast) reads as its time: ``10:00 on 3 December 2026``.
    """
    now = now or timezone.now()
    seconds = (now - moment).total_seconds()
    if seconds < -60:
        return clock(moment)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _count(int(seconds // 60), "minute") + " ago"
    if seconds < 6 * 3600:
        return _count(int(seconds // 3600), "hour") + " ago"
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    if local.date() == today:
        return f"today at {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday at {local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {local:%B}"
    return day_label(local.date())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def short_day(moment: datetime, *, now: datetime) -> str:
    """``3 Dec at 14:05`` in the portal's time zone; ``3 Dec 2025 at 14:05`` in another year."""
    local = timezone.localtime(moment)
    year = "" if local.year == timezone.localtime(now).year else f" {local.year}"
    return f"{local.day} {local:%b}{year} at {local:%H:%M}"


def money(amount: Decimal | str | int | None, currency: str = "GBP") -> str:
    """``£1,250.00``; a currency without a well-known symbol reads ``CHF 1,250.00``.

    The one way the portal writes an amount: the ``money`` template filter, messages, e-mails
    and notifications all call it. Something that is not a number gives an empty string, as a
    template filter should, rather than an error page.
    """
    try:
        value = Decimal(amount if amount not in (None, "") else 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if not value.is_finite():
        return ""
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    figure = f"{abs(value):,.2f}"
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{currency} {figure}"


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
