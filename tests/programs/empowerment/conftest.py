import pytest

from programs.empowerment.models import ApprovalRequest, Gesture
from programs.empowerment.services.gestures import log_gesture
from tests.factories import gesture_input


@pytest.fixture
def waiting(agent, manager, category, budget) -> Gesture:
    """A £60 gesture, over the £50 gesture limit, waiting for Care North's manager."""
    return log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture


@pytest.fixture
def step(waiting) -> ApprovalRequest:
    """The waiting gesture's open approval step."""
    return ApprovalRequest.objects.get(gesture=waiting, status="pending")
