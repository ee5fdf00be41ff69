from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.models import ApprovalRequest
from programs.services.gestures import log_gesture
from programs.tasks import escalate_overdue_approvals
from tests.factories import gesture_input

pytestmark = pytest.mark.usefixtures("category", "budget", "manager")


@pytest.fixture
def overdue(agent):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00"))
    step = ApprovalRequest.objects.get(gesture=gesture)
    ApprovalRequest.objects.filter(pk=step.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    return step


def test_escalation_command_is_idempotent(overdue, capsys):
    call_command("escalate_approvals")
    assert "1 escalated" in capsys.readouterr().out
    call_command("escalate_approvals")
    assert "0 escalated" in capsys.readouterr().out
    assert ApprovalRequest.objects.filter(gesture=overdue.gesture, level=2).count() == 1


def test_escalation_task_runs_the_same_service(overdue):
    assert escalate_overdue_approvals.apply().get() == {"reassigned": 0, "escalated": 1}
    assert escalate_overdue_approvals.apply().get() == {"reassigned": 0, "escalated": 0}
