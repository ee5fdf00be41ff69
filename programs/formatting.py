"""Money and policy decisions in the plain words the pages show people."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

from programs.models import Gesture, GestureStatus, Period, Programme, Registration
from programs.selectors.allowances import AllowanceSummary

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


@dataclass(frozen=True)
class DoorState:
    """What the door page says about one registration, read at a glance on a phone.

    ``tone`` is ``ok`` (confirmed, may come in), ``done`` (already checked in), ``wait`` (on
    the waitlist) or ``bad`` (cancelled, or the day no longer checks anyone in)."""

    tone: str
    headline: str
    detail: str
    can_check_in: bool


def door_state(registration: Registration, *, now: datetime, scanned: bool = False) -> DoorState:
    """Only a confirmed party of a published day, not yet checked in, is offered check-in
    (what the check-in service accepts); everyone else is told plainly why not. A scanned
    code that was already used says "Already checked in", so a second scan is not taken for
    a welcome."""
    if registration.checked_in_at is not None:
        by = registration.checked_in_by
        who = f" by {by.name or by.email}" if by is not None else ""
        at = timezone.localtime(registration.checked_in_at)
        return DoorState(
            tone="done",
            headline="Already checked in" if scanned else "Checked in",
            detail=f"Checked in at {at:%H:%M}{who}.",
            can_check_in=False,
        )
    if registration.is_cancelled:
        cancelled = registration.cancelled_at
        return DoorState(
            tone="bad",
            headline=f"Cancelled on {short_day(cancelled, now=now)}" if cancelled else "Cancelled",
            detail="This registration was cancelled: it has no seat, so it cannot be checked in.",
            can_check_in=False,
        )
    if registration.is_waitlisted:
        return DoorState(
            tone="wait",
            headline=f"On the waitlist, position {registration.waitlist_position}",
            detail="No seat yet, so no check-in: a party is confirmed only when seats free up "
            "that it fits.",
            can_check_in=False,
        )
    day = registration.day
    if not day.is_published:
        return DoorState(
            tone="bad",
            headline="Confirmed",
            detail=f"The day is {day.get_status_display().lower()}: nobody can be checked in.",
            can_check_in=False,
        )
    guests = "1 seat" if registration.party_size == 1 else f"{registration.party_size} seats"
    return DoorState(
        tone="ok",
        headline="Confirmed",
        detail=f"Not checked in yet; {guests} reserved.",
        can_check_in=True,
    )


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


def period_label(programme: Programme, start: date) -> str:
    """``November 2026``, or ``Q4 2026 (October to December)`` for a quarterly programme."""
    if programme.period != Period.QUARTERLY:
        return f"{start:%B %Y}"
    _, end = programme.period_bounds(start)
    return f"Q{(start.month - 1) // 3 + 1} {start:%Y} ({start:%B} to {end:%B})"


def waiting_reasons(gesture: Gesture, *, yours: bool = True) -> list[str]:
    """Why the gesture waited, from the policy it was decided under (never today's policy)."""
    amount = _snapshot_money(gesture)
    words = {
        "over_gesture_limit": f"over the {amount('gesture_limit')} gesture limit",
        "over_allowance": "over your allowance" if yours else "over the agent’s allowance",
        "over_team_budget": "over the team budget",
        "over_customer_daily_limit": (
            f"over this customer’s daily limit of {amount('customer_daily_limit')}"
        ),
    }
    reasons = gesture.policy_snapshot.get("reasons", [])
    return [words.get(reason, reason.replace("_", " ")) for reason in reasons]


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def allowance_left(summary: AllowanceSummary, *, today: date) -> str:
    """``£190.00 of your allowance left``, naming the period when it is not the current one."""
    left = money(summary.remaining, summary.programme.currency)
    if summary.period_start <= today <= summary.period_end:
        return f"{left} of your allowance left"
    return (
        f"{left} of your allowance for {period_label(summary.programme, summary.period_start)} left"
    )


def logged_message(gesture: Gesture, summary: AllowanceSummary, *, today: date) -> str:
    """What the agent is told the moment a gesture is logged."""
    left = allowance_left(summary, today=today)
    if gesture.status == GestureStatus.APPROVED:
        spent = (
            f"{money(gesture.cost, gesture.currency)} spent" if gesture.cost else "nothing spent"
        )
        return f"Approved — {spent}, {left}."
    approvers = (
        "your manager, then finance"
        if gesture.policy_snapshot.get("needs_second_tier")
        else "your manager"
    )
    message = f"Waiting for approval from {approvers}"
    if reasons := join_words(waiting_reasons(gesture)):
        message += f" ({reasons})"
    message += f"; {left}."
    if gesture.over_budget:
        message += " The team budget cannot hold it yet, so it can be approved only after a top-up."
    return message


def policy_in_words(gesture: Gesture) -> list[str]:
    """The snapshot that decided the gesture, one sentence per rule."""
    policy = gesture.policy_snapshot
    amount = _snapshot_money(gesture)
    lines = [
        f"Gestures up to {amount('gesture_limit')} were approved without asking.",
        f"The agent’s allowance for the period was {amount('agent_allowance_effective')}, "
        f"with {amount('allowance_remaining_before')} left before this gesture.",
        "The team had no budget for that period."
        if policy.get("team_available_before") is None
        else f"The team budget had {amount('team_available_before')} available.",
        f"This customer had {amount('customer_spent_today_before')} spent on them that day, "
        f"against a daily limit of {amount('customer_daily_limit')}.",
    ]
    if policy.get("needs_second_tier"):
        lines.append(
            f"It costs more than {amount('second_tier_threshold')}, "
            "so finance approves it after the manager."
        )
    return lines


def _snapshot_money(gesture: Gesture) -> Callable[[str], str]:
    """Reads one amount of the gesture's policy snapshot, in the snapshot's currency."""
    policy = gesture.policy_snapshot
    currency = policy.get("currency", gesture.currency)
    return lambda key: money(policy.get(key), currency)
