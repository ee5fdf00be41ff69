from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import TeamRole
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.selectors.allowances import allowance_summaries
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from tests.factories import UserFactory, allowance_override, gesture_input, place
from tests.support.queries import assert_query_count

pytestmark = pytest.mark.usefixtures("category", "budget")


def _approved_by(manager, agent, cost: str, ref: str):
    gesture = log_gesture(agent=agent, **gesture_input(cost=cost, customer_ref=ref)).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture, status="pending"),
        actor=manager,
        approve=True,
        comment="Worth it",
    )


def test_approved_above_is_the_spend_beyond_the_allowance_in_force(programme, manager, agent, team):
    colleague = place(UserFactory(name="Ben Agent"), team, TeamRole.AGENT)
    allowance_override(agent, programme, amount="150.00", reason="A quieter month", actor=manager)
    _approved_by(manager, agent, "120.00", "TCK-1")
    _approved_by(manager, agent, "60.50", "TCK-2")  # £180.50 spent of £150.00
    log_gesture(agent=agent, **gesture_input(cost="70.00", customer_ref="TCK-3"))  # waiting
    log_gesture(agent=colleague, **gesture_input(cost="12.34", customer_ref="TCK-4"))

    with assert_query_count(1):
        summaries = allowance_summaries(
            programme=programme, agent_ids=[agent.pk, colleague.pk], day=timezone.localdate()
        )

    mine, theirs = summaries[agent.pk], summaries[colleague.pk]
    assert (mine.allowance, mine.spent, mine.committed) == (
        Decimal("150.00"),
        Decimal("180.50"),
        Decimal("70.00"),
    )
    assert mine.approved_above == Decimal("30.50")  # what is waiting is not "approved"
    assert mine.used == Decimal("250.50") and mine.remaining == Decimal("0.00")
    assert (theirs.allowance, theirs.spent, theirs.approved_above) == (
        Decimal("200.00"),
        Decimal("12.34"),
        Decimal("0.00"),
    )


def test_an_agent_without_gestures_has_the_programmes_allowance_untouched(programme, agent):
    summary = allowance_summaries(
        programme=programme, agent_ids=[agent.pk], day=timezone.localdate()
    )[agent.pk]

    assert (summary.allowance, summary.spent, summary.committed, summary.approved_above) == (
        Decimal("200.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
