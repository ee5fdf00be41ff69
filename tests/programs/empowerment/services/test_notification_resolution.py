"""An "Approval needed" stops being new once the request no longer waits for its reader: whoever
decided it (another manager, a delegate, finance), the agent withdrawing it, escalation, or the
request moving to someone else. It stays in the list, saying how it was settled."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleName
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import deactivate_person, delegate_approvals
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture, withdraw_gesture
from programs.notifications.models import Notification
from programs.notifications.selectors import new_count
from programs.notifications.services import mark_notifications_read, resolve_notifications
from tests.factories import UserFactory, gesture_input, grant

pytestmark = pytest.mark.usefixtures("category", "budget")


def _ask(step, person) -> Notification:
    return Notification.objects.get(
        kind="approval_requested", subject_id=str(step.pk), recipient=person
    )


def test_another_manager_deciding_resolves_the_first_managers_ask(
    step, manager, second_manager, agent
):
    other = log_gesture(agent=agent, **gesture_input(cost="70.00", customer_ref="TCK-70")).gesture
    assert new_count(manager.pk) == 2
    decide_approval(request=step, actor=second_manager, approve=True)
    ask = _ask(step, manager)
    assert ask.resolved_at is not None and ask.read_at is None
    assert ask.resolution == "Decided by Zed Second — approved"
    assert new_count(manager.pk) == 1
    untouched = _ask(ApprovalRequest.objects.get(gesture=other), manager)
    assert untouched.resolved_at is None and untouched.resolution == ""


def test_a_decline_says_declined(step, manager, second_manager):
    decide_approval(
        request=step, actor=second_manager, approve=False, comment="Call her back first"
    )
    assert _ask(step, manager).resolution == "Decided by Zed Second — declined"
    assert new_count(manager.pk) == 0


def test_the_approvers_own_ask_is_resolved_by_their_decision(step, manager):
    decide_approval(request=step, actor=manager, approve=True)
    assert _ask(step, manager).resolution == "Decided by Maya Manager — approved"
    assert new_count(manager.pk) == 0


def test_a_delegation_moves_the_ask_and_the_delegates_decision_names_both(
    step, manager, other_manager
):
    today = timezone.localdate()
    delegate_approvals(delegator=manager, delegate=other_manager, starts_on=today, ends_on=today)
    assert _ask(step, manager).resolution == "Reassigned to Marcus Other"
    assert new_count(manager.pk) == 0
    assert new_count(other_manager.pk) == 1
    decide_approval(request=step, actor=other_manager, approve=True)
    assert _ask(step, other_manager).resolution == (
        "Decided by Marcus Other for Maya Manager — approved"
    )
    assert new_count(other_manager.pk) == 0


def test_withdrawing_resolves_the_ask(step, waiting, manager, agent):
    withdraw_gesture(gesture=waiting, actor=agent)
    assert _ask(step, manager).resolution == "Withdrawn by Aisha Agent"
    assert new_count(manager.pk) == 0


def test_escalation_resolves_the_managers_ask_and_finance_hears_of_it(step, manager, finance_user):
    escalate_overdue(now=timezone.now() + timedelta(hours=25))
    assert _ask(step, manager).resolution == "Escalated to finance after 25 hours"
    assert new_count(manager.pk) == 0
    successor = ApprovalRequest.objects.get(gesture=step.gesture, status="pending")
    assert _ask(successor, finance_user).resolved_at is None
    assert new_count(finance_user.pk) == 1


def test_deactivating_the_only_manager_sends_the_ask_to_finance(
    step, manager, admin_user, finance_user
):
    deactivate_person(person=manager, actor=admin_user)
    assert _ask(step, manager).resolution == "Sent to finance"
    assert _ask(step, finance_user).resolved_at is None


def test_a_second_tier_approval_says_it_is_now_with_finance(
    agent, manager, finance_user, programme
):
    programme.second_tier_threshold = Decimal("55.00")
    programme.save()
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    first = ApprovalRequest.objects.get(gesture=gesture)
    decide_approval(request=first, actor=manager, approve=True)
    assert _ask(first, manager).resolution == "Decided by Maya Manager — approved, now with finance"
    second = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    assert new_count(finance_user.pk) == 1
    decide_approval(request=second, actor=finance_user, approve=True)
    assert _ask(second, finance_user).resolution == "Decided by Fiona Finance — approved"
    assert new_count(finance_user.pk) == 0


def test_one_finance_person_deciding_a_top_up_resolves_it_for_every_finance_person(
    budget, manager, finance_user
):
    colleague = grant(UserFactory(name="Farid Finance"), RoleName.FINANCE)
    topup = request_topup(budget=budget, amount="1250.00", reason="Winter rush", actor=manager)
    step = ApprovalRequest.objects.get(budget_request=topup)
    assert _ask(step, colleague).title == (
        "Approval needed: a top-up of Care North's budget (£1,250.00)"
    )
    decide_approval(request=step, actor=finance_user, approve=True)
    assert {_ask(step, person).resolution for person in (finance_user, colleague)} == {
        "Decided by Fiona Finance — approved"
    }
    assert new_count(colleague.pk) == 0


def test_the_resolution_is_part_of_the_decisions_transaction(step, manager, second_manager):
    with pytest.raises(RuntimeError), transaction.atomic():
        decide_approval(request=step, actor=second_manager, approve=True)
        raise RuntimeError("the request failed after deciding")
    ask = _ask(step, manager)
    assert ask.resolved_at is None and ask.resolution == ""
    assert new_count(manager.pk) == 1


def test_a_read_ask_keeps_its_read_time_when_resolved(step, manager, second_manager):
    mark_notifications_read(user=manager)
    read_at = _ask(step, manager).read_at
    decide_approval(request=step, actor=second_manager, approve=True)
    ask = _ask(step, manager)
    assert ask.read_at == read_at and ask.resolution == "Decided by Zed Second — approved"


def test_resolving_spares_who_the_request_still_waits_for_and_keeps_the_first_resolution(
    step, manager, finance_user
):
    ask = _ask(step, manager)
    also_asked = Notification.objects.create(
        key="test:finance-copy",
        kind="approval_requested",
        recipient=finance_user,
        email=finance_user.email,
        subject_type="approvalrequest",
        subject_id=str(step.pk),
        title=ask.title,
    )
    resolved = resolve_notifications(
        kind="approval_requested",
        subject=step,
        resolution="Sent to finance",
        keep=[finance_user.pk],
    )
    assert resolved == 1
    also_asked.refresh_from_db()
    assert also_asked.resolved_at is None
    resolve_notifications(kind="approval_requested", subject=step, resolution="Withdrawn")
    assert _ask(step, manager).resolution == "Sent to finance"


def test_a_resolution_is_one_plain_line(step, manager):
    resolve_notifications(
        kind="approval_requested", subject=step, resolution="Decided by Eve\r\nBcc: x — approved"
    )
    assert _ask(step, manager).resolution == "Decided by Eve Bcc: x — approved"
