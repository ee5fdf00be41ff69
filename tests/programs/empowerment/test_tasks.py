from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.gestures import log_gesture
from programs.empowerment.tasks import escalate_overdue_approvals
from tests.factories import gesture_input

pytestmark = pytest.mark.usefixtures("category", "budget", "manager")


@pytest.fixture
def overdue(agent):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
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


def test_every_periodic_job_run_twice_changes_nothing_more(agent, manager, programme, budget):

    from django.core import mail

    from programs.empowerment.models import Budget
    from programs.empowerment.services.budgets import roll_over_budgets
    from programs.empowerment.services.digests import send_weekly_digest
    from programs.notifications.delivery import SWEEP_AFTER, sweep
    from programs.notifications.models import Notification

    log_gesture(agent=agent, **gesture_input(cost="12.00"))

    send_weekly_digest()
    send_weekly_digest()
    assert Notification.objects.filter(kind="weekly_digest", recipient=manager).count() == 1

    next_month = budget.period_end + timedelta(days=1)
    assert roll_over_budgets(today=next_month) == 1
    assert roll_over_budgets(today=next_month) == 0
    rolled = Budget.objects.get(team=budget.team, period_start=next_month)
    assert rolled.amount == budget.amount and rolled.committed == rolled.spent == 0

    later = timezone.now() + SWEEP_AFTER * 2
    first = sweep(now=later)
    assert first >= 1
    assert sweep(now=later) == 0
    assert len(mail.outbox) == first
    digest = next(m for m in mail.outbox if f"Maya Manager <{manager.email}>" in m.to)
    assert "gestures logged" in digest.body


def test_periodic_jobs_are_also_commands(capsys):
    commands = (
        "send_weekly_digest",
        "roll_over_budgets",
        "sweep_outbox",
        "send_reminders",
        "anonymise_registrations",
        "escalate_approvals",
    )
    for command in commands * 2:
        call_command(command)
    out = capsys.readouterr().out
    for said in ("digests", "budgets opened", "notifications sent", "reminders queued"):
        assert said in out
