"""Logging a gesture, withdrawing it, and recording how it turned out."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Team, TeamRole, User
from accounts.permissions import access_for
from portal import locking
from portal.errors import Conflict, InvalidInput, NotPermitted
from portal.money import as_money
from portal.validation import (
    FieldErrors,
    clean_amount,
    clean_optional_text,
    clean_past_date,
    clean_text,
    customer_key,
)
from portal.validators import TEXT_LIMIT, TextKind, has_forbidden_characters
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import (
    CHOOSE_CATEGORY,
    CHOOSE_CHANNEL,
    CUSTOMER_NAME_LIMIT,
    CUSTOMER_REF_LIMIT,
    Budget,
    Channel,
    Gesture,
    GestureCategory,
    GestureStatus,
    OutcomeRating,
    Programme,
)
from programs.empowerment.selectors.allowances import AllowanceSummary, allowance_summary
from programs.empowerment.selectors.programmes import active_programme
from programs.empowerment.services import ledger
from programs.empowerment.services.approvals import cancel_open_approvals, open_gesture_approval
from programs.empowerment.services.reviews import sample_for_review

ZERO = Decimal("0.00")
DUPLICATE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class LoggedGesture:
    """What logging decided: the gesture, and the agent's allowance it was held against."""

    gesture: Gesture
    allowance: AllowanceSummary

    @property
    def allowance_after(self) -> AllowanceSummary:
        """The allowance with this gesture counted, as the agent's pages now show it."""
        return self.allowance.counting(self.gesture)


def clean_gesture_input(
    *,
    category: GestureCategory | str,
    channel: str,
    customer_ref: str,
    situation: str,
    action: str,
    cost: Decimal | str,
    occurred_on: date,
    customer_name: str = "",
    outcome: str = "",
    today: date,
) -> dict:
    """What an agent entered about a gesture, cleaned, or ``InvalidInput`` naming every field
    that is wrong. The form and the API check the same fields with the same limits (the
    model's constants) before they get here; this is the rule, they are its early warning."""
    errors = FieldErrors()
    cleaned = {
        "cost": errors.check(clean_amount, cost, field="cost"),
        "occurred_on": errors.check(clean_past_date, occurred_on, today=today),
        "customer_ref": errors.check(
            clean_text,
            customer_ref,
            field="customer_ref",
            max_length=CUSTOMER_REF_LIMIT,
            kind=TextKind.REFERENCE,
        ),
        "customer_name": errors.check(
            clean_text,
            customer_name,
            field="customer_name",
            max_length=CUSTOMER_NAME_LIMIT,
            required=False,
        ),
        **{
            name: errors.check(
                clean_text,
                value,
                field=name,
                max_length=TEXT_LIMIT,
                required=name != "outcome",
                kind=TextKind.TEXT,
            )
            for name, value in (("situation", situation), ("action", action), ("outcome", outcome))
        },
        "channel": errors.check(_channel, channel),
        "category": errors.check(_category, category),
    }
    errors.raise_any()
    return cleaned


def log_gesture(
    *,
    agent: User,
    team: Team | None = None,
    programme: Programme | None = None,
    keep_private: bool = False,
    today: date | None = None,
    **entered,
) -> LoggedGesture:
    """Log what an agent did for a customer and decide its status at once.

    ``entered`` is what :func:`clean_gesture_input` takes; ``keep_private`` keeps its story off
    the story wall. The gesture is approved
    automatically when it costs nothing, or when it is within the programme's gesture limit,
    the agent's remaining allowance, the team's available budget and the customer's daily
    limit; its cost is then spent. Otherwise it waits for approval with its cost committed,
    or, when the team budget cannot hold it, it waits marked over budget with nothing
    committed. The policy values that decided it are kept on the gesture.
    """
    fields = clean_gesture_input(**entered, today=today or timezone.localdate())
    team = _agent_team(agent, team)
    programme = programme or active_programme()
    if programme is None or not programme.is_active:
        raise Conflict("There is no active empowerment programme to log gestures against.")
    cost, occurred_on = fields["cost"], fields["occurred_on"]
    key = customer_key(fields["customer_ref"])
    period_start, _ = programme.period_bounds(occurred_on)
    with transaction.atomic():
        # The lock order (portal/locking.py): the agent's period and the customer's day,
        # then the budget row; the audit chain last.
        locking.lock_keys(
            locking.agent_period_key(agent.pk, programme.pk, period_start),
            locking.customer_day_key(programme.pk, key, occurred_on),
        )
        budget = (
            # The budget's row only: its ordering joins the team, which must stay unlocked.
            Budget.objects.select_for_update(of=("self",))
            .for_period(team_id=team.pk, programme_id=programme.pk, day=occurred_on)
            .first()
        )
        allowance = allowance_summary(programme=programme, agent_id=agent.pk, day=occurred_on)
        customer_today = as_money(
            Gesture.objects.live()
            .filter(programme=programme, customer_key=key, occurred_on=occurred_on)
            .aggregate(total=Sum("cost"))["total"]
        )
        available = budget.available if budget else ZERO
        reasons = _reasons_to_wait(
            cost,
            programme=programme,
            allowance=allowance,
            available=available,
            customer_today=customer_today,
        )
        gesture = Gesture(
            programme=programme,
            agent=agent,
            team=team,
            budget=budget,
            customer_key=key,
            currency=programme.currency,
            keep_private=keep_private,
            possible_duplicate=Gesture.objects.live()
            .filter(
                customer_key=key,
                cost=cost,
                occurred_on__range=(occurred_on - DUPLICATE_WINDOW, occurred_on + DUPLICATE_WINDOW),
            )
            .exists(),
            **fields,
        )
        _decide_and_settle(gesture, budget=budget, available=available, waits=bool(reasons))
        gesture.policy_snapshot = {
            **programme.policy(),
            "agent_allowance_effective": str(allowance.allowance),
            "allowance_remaining_before": str(allowance.remaining),
            "team_available_before": str(available) if budget else None,
            "customer_spent_today_before": str(customer_today),
            "needs_second_tier": cost > programme.second_tier_threshold,
            "decision": gesture.status,
            "reasons": reasons if gesture.status == GestureStatus.PENDING else [],
        }
        gesture.save()
        if gesture.status == GestureStatus.PENDING:
            open_gesture_approval(gesture=gesture)
        else:
            sample_for_review(gesture=gesture)
        trail.record(
            action=AuditAction.GESTURE_LOGGED,
            actor=agent,
            subject=gesture,
            data={
                "status": gesture.status,
                "cost": str(cost),
                "team": team.pk,
                "budget": budget.pk if budget else None,
                "committed": str(gesture.committed_amount),
                "flags": gesture.flags,
                "reasons": gesture.policy_snapshot["reasons"],
                "keep_private": keep_private,
            },
        )
    return LoggedGesture(gesture=gesture, allowance=allowance)


def _reasons_to_wait(
    cost: Decimal,
    *,
    programme: Programme,
    allowance: AllowanceSummary,
    available: Decimal,
    customer_today: Decimal,
) -> list[str]:
    """Every limit the cost goes over: the rule that decides whether a gesture must wait."""
    limits = [
        ("over_gesture_limit", cost > programme.gesture_limit),
        ("over_allowance", cost > allowance.remaining),
        ("over_team_budget", cost > available),
        ("over_customer_daily_limit", customer_today + cost > programme.customer_daily_limit),
    ]
    return [reason for reason, over in limits if over]


def _decide_and_settle(
    gesture: Gesture, *, budget: Budget | None, available: Decimal, waits: bool
) -> None:
    """Approve a free gesture, or one within every limit, spending its cost; otherwise let it
    wait with its cost committed, or over budget when the team budget cannot hold it."""
    cost = gesture.cost
    if cost == 0 or not waits:
        gesture.status = GestureStatus.APPROVED
        gesture.decided_at = timezone.now()
        if cost:
            ledger.spend(budget, cost)
        return
    gesture.status = GestureStatus.PENDING
    if budget is not None and cost <= available:
        ledger.reserve(budget, cost)
        gesture.committed_amount = cost
    else:
        gesture.over_budget = True


def withdraw_gesture(*, gesture: Gesture, actor: User) -> Gesture:
    """The agent takes back a gesture still waiting for approval; its commitment is released."""
    if gesture.agent_id != actor.pk:
        raise NotPermitted("Only the agent who logged a gesture may withdraw it.")
    period_start, _ = gesture.programme.period_bounds(gesture.occurred_on)
    with transaction.atomic():
        locking.lock_keys(
            locking.agent_period_key(gesture.agent_id, gesture.programme_id, period_start)
        )
        budget = (
            Budget.objects.select_for_update().get(pk=gesture.budget_id)
            if gesture.budget_id
            else None
        )
        locked = Gesture.objects.select_for_update().get(pk=gesture.pk)
        if locked.status != GestureStatus.PENDING:
            raise Conflict(f"Only a pending gesture can be withdrawn; this one is {locked.status}.")
        released = locked.committed_amount
        if budget is not None and released:
            ledger.release(budget, released)
        locked.status = GestureStatus.WITHDRAWN
        locked.committed_amount = ZERO
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "committed_amount", "decided_at", "updated_at"])
        cancel_open_approvals(gesture=locked, actor=actor)
        trail.record(
            action=AuditAction.GESTURE_WITHDRAWN,
            actor=actor,
            subject=locked,
            data={"released": str(released), "budget": locked.budget_id},
        )
    return locked


@transaction.atomic
def record_gesture_outcome(
    *, gesture: Gesture, actor: User, outcome: str, outcome_rating: str
) -> Gesture:
    """The agent adds what the customer said and how it landed, at any time after logging."""
    if gesture.agent_id != actor.pk:
        raise NotPermitted("Only the agent who logged a gesture may record its outcome.")
    outcome = clean_optional_text(outcome, field="outcome", max_length=TEXT_LIMIT)
    if outcome_rating not in OutcomeRating.values:
        raise InvalidInput(
            "Unknown rating.",
            field_errors={"outcome_rating": ["Choose delighted, satisfied, neutral or unhappy."]},
        )
    locked = Gesture.objects.select_for_update().get(pk=gesture.pk)
    before = {"outcome": locked.outcome, "outcome_rating": locked.outcome_rating}
    locked.outcome = outcome
    locked.outcome_rating = outcome_rating
    locked.save(update_fields=["outcome", "outcome_rating", "updated_at"])
    trail.record(
        action=AuditAction.GESTURE_OUTCOME_RECORDED,
        actor=actor,
        subject=locked,
        data={"before": before, "after": {"outcome": outcome, "outcome_rating": outcome_rating}},
    )
    return locked


def _channel(channel: str) -> str:
    if channel not in Channel.values:
        raise InvalidInput("Unknown channel.", field_errors={"channel": [CHOOSE_CHANNEL]})
    return channel


def _category(category: GestureCategory | str) -> GestureCategory:
    if isinstance(category, GestureCategory):
        if category.is_active:
            return category
    elif (
        isinstance(category, str) and category.isascii() and not has_forbidden_characters(category)
    ):
        # A slug is plain ASCII; anything else is no category (and a NUL is a database error).
        found = GestureCategory.objects.filter(slug=category, is_active=True).first()
        if found:
            return found
    raise InvalidInput("Unknown category.", field_errors={"category": [CHOOSE_CATEGORY]})


def _agent_team(agent: User, team: Team | None) -> Team:
    """The team the gesture is logged for: one the person works in as an agent."""
    places = {p.team_id: p for p in access_for(agent).teams if p.role == TeamRole.AGENT}
    if not places:
        raise NotPermitted("Only agents in a team can log gestures.")
    if team is None:
        if len(places) > 1:
            raise InvalidInput(
                "Choose a team.", field_errors={"team": ["You work in several teams: choose one."]}
            )
        return Team.objects.get(pk=next(iter(places)))
    if team.pk not in places:
        raise InvalidInput(
            "Not your team.", field_errors={"team": ["You are not an agent in that team."]}
        )
    return team
