"""What approvers, agents and managers are told (see programs/notifications/notices.py)."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from portal.formatting import money
from portal.money import as_money
from programs.empowerment.models import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    Budget,
    DecisionOutcome,
    Gesture,
    Programme,
)
from programs.notifications.notices import Notice


def approval_requested(step: ApprovalRequest) -> Notice:
    """ "Approval needed": a step now waits for the people told."""
    if step.kind == ApprovalKind.GESTURE:
        what = f"{step.gesture.category} for {step.gesture.customer_ref}"
        story = step.gesture.situation
        currency = step.gesture.currency
    else:
        what = f"a top-up of {step.budget_request.budget.team}'s budget"
        story = step.budget_request.reason
        currency = step.budget_request.budget.programme.currency
    return Notice(
        kind="approval_requested",
        title=f"Approval needed: {what} ({money(step.amount, currency)})",
        link=reverse("empowerment:approval-detail", args=[step.pk]),
        context={
            "what": what,
            "story": story,
            "amount": step.amount,
            "currency": currency,
            "requested_by": str(step.requested_by),
            "level": step.get_level_display(),
            "note": step.note,
            "due_at": step.due_at,
            # Only a manager's step moves on (to finance) when it is left undecided.
            "escalates": step.level == ApprovalLevel.MANAGER,
        },
    )


def request_decided(step: ApprovalRequest, *, gesture: Gesture | None, verdict: str) -> Notice:
    """The final answer to whoever asked: an agent about a gesture, a manager about a top-up."""
    if gesture is not None:
        kind = "gesture_decided"
        title = f"Your gesture for {gesture.customer_ref} was {verdict}"
        link = reverse("empowerment:gesture-detail", args=[gesture.pk])
        currency = gesture.currency
    else:
        kind = "topup_decided"
        title = f"Your top-up request for {step.team} was {verdict}"
        link = reverse("empowerment:team-detail", args=[step.team_id])
        currency = step.budget_request.budget.programme.currency
    return Notice(
        kind=kind,
        title=title,
        link=link,
        context={
            "verdict": verdict,
            "amount": step.amount,
            "currency": currency,
            "comment": step.comment,
            "decided_by": str(step.decided_by),
            "on_behalf_of": str(step.on_behalf_of) if step.on_behalf_of_id else "",
        },
    )


def weekly_digest(
    *,
    programme: Programme,
    since: date,
    today: date,
    totals: dict,
    budgets: QuerySet[Budget],
    stories: QuerySet[Gesture],
) -> Notice:
    """A manager's week: what their teams logged and spent, and the newest stories."""
    return Notice(
        kind="weekly_digest",
        title=f"Your teams' week: {totals['logged']} gestures",
        link=reverse("empowerment:team-list"),
        context={
            "week": f"{since + timedelta(days=1):%d %b} – {today:%d %b %Y}",
            "logged": totals["logged"],
            "approved": totals["approved"],
            "waiting": totals["waiting"],
            "spent": str(as_money(totals["spent"])),
            "currency": programme.currency,
            "budgets": [
                {
                    "team": b.team.name,
                    "amount": str(b.amount),
                    "spent": str(b.spent),
                    "committed": str(b.committed),
                    "available": str(b.available),
                }
                for b in budgets
            ],
            "stories": [
                {
                    "agent": g.agent.name,
                    "category": g.category.name,
                    "situation": g.situation,
                    "action": g.action,
                    "outcome": g.outcome,
                    "rating": g.get_outcome_rating_display() if g.outcome_rating else "",
                    "cost": str(g.cost),
                }
                for g in stories
            ],
        },
    )


def decision_in_words(
    actor: User, on_behalf_of: User | None, *, approve: bool, outcome: DecisionOutcome
) -> str:
    """``Decided by Maya Lindqvist — approved``, naming the manager a delegate acted for."""
    who = f"{actor} for {on_behalf_of}" if on_behalf_of is not None else str(actor)
    if not approve:
        return f"Decided by {who} — declined"
    if outcome == DecisionOutcome.SENT_TO_FINANCE:
        return f"Decided by {who} — approved, now with finance"
    return f"Decided by {who} — approved"
