"""Managers adjusting one agent's allowance, inside the programme's bounds."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from accounts.permissions import access_for
from portal import locking
from portal.errors import InvalidInput, NotPermitted
from portal.formatting import money
from portal.validation import clean_amount, clean_text
from portal.validators import TextKind
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import AllowanceOverride, Programme
from programs.empowerment.selectors.allowances import effective_allowance


def set_allowance(
    *,
    programme: Programme,
    agent: User,
    day: date,
    amount: Decimal | str,
    reason: str,
    actor: User,
) -> AllowanceOverride:
    """Lower or boost one agent's allowance for the period containing ``day``.

    Only a manager of a team the person works in as an agent may do it; the amount must lie
    within the programme's floor and ceiling, and the reason is kept with it.
    """
    actor_access = access_for(actor)
    agent_teams = access_for(agent).agent_team_ids
    if not agent_teams & actor_access.managed_team_ids:
        raise NotPermitted("Only the agent's own manager can change their allowance.")
    amount = clean_amount(amount, field="amount")
    if not programme.allowance_floor <= amount <= programme.allowance_ceiling:
        message = (
            f"Choose an allowance between {money(programme.allowance_floor, programme.currency)} "
            f"and {money(programme.allowance_ceiling, programme.currency)}."
        )
        raise InvalidInput(message, field_errors={"amount": [message]})
    reason = clean_text(reason, field="reason", max_length=500, kind=TextKind.TEXT)
    period_start, _ = programme.period_bounds(day)
    with transaction.atomic():
        locking.lock_keys(locking.agent_period_key(agent.pk, programme.pk, period_start))
        before = effective_allowance(
            programme=programme, agent_id=agent.pk, period_start=period_start
        )
        override = AllowanceOverride.objects.create(
            programme=programme,
            agent=agent,
            period_start=period_start,
            amount=amount,
            reason=reason,
            set_by=actor,
        )
        trail.record(
            action=AuditAction.ALLOWANCE_SET,
            actor=actor,
            subject=override,
            data={
                "agent": agent.pk,
                "period_start": period_start,
                "before": str(before),
                "after": str(amount),
                "reason": reason,
            },
        )
    return override
