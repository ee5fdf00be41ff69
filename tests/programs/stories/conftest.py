import pytest

from accounts.models import TeamRole
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture, withdraw_gesture
from tests.factories import UserFactory, gesture_input, place


@pytest.fixture
def colleague(team):
    """Another agent of the team, who reads and thanks the agent's stories."""
    return place(UserFactory(name="Cai Colleague"), team, TeamRole.AGENT)


@pytest.fixture
def story(agent, category, budget):
    """An approved £10 gift: a story on the wall."""
    return log_gesture(
        agent=agent,
        **gesture_input(
            customer_ref="TCK-SECRET-7",
            customer_name="Ada Secretname",
            situation="Her order for her father's 80th birthday arrived broken.",
            action="Sent a replacement by courier and a handwritten card.",
        ),
    ).gesture


@pytest.fixture
def not_stories(agent, manager, category, budget):
    """Gestures that are not stories: waiting, declined, withdrawn, and kept private."""
    waiting = log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="W-1")).gesture
    declined = log_gesture(agent=agent, **gesture_input(cost="70.00", customer_ref="D-1")).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=declined),
        actor=manager,
        approve=False,
        comment="Not this time.",
    )
    withdrawn = log_gesture(agent=agent, **gesture_input(cost="80.00", customer_ref="X-1")).gesture
    withdraw_gesture(gesture=withdrawn, actor=agent)
    private = log_gesture(
        agent=agent, keep_private=True, **gesture_input(customer_ref="P-1")
    ).gesture
    return {"waiting": waiting, "declined": declined, "withdrawn": withdrawn, "private": private}
