"""Allowances and policy decisions in the plain words the pages show people."""

from collections.abc import Callable
from datetime import date

from portal.formatting import join_words, money
from programs.empowerment.models import Gesture, GestureStatus
from programs.empowerment.selectors.allowances import AllowanceSummary


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


def allowance_left(summary: AllowanceSummary, *, today: date) -> str:
    """``£190.00 of your allowance left``, naming the period when it is not the current one."""
    left = money(summary.remaining, summary.programme.currency)
    if summary.period_start <= today <= summary.period_end:
        return f"{left} of your allowance left"
    return (
        f"{left} of your allowance for {summary.programme.period_label(summary.period_start)} left"
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
