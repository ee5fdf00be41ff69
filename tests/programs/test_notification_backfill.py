"""Migration 0010 brings notifications written before the bell knew about resolutions up to
date: old "Approval needed" entries whose request was settled stop counting as new, and bare
amounts in old titles get their currency sign."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import TeamRole
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture, withdraw_gesture
from programs.notifications.models import Notification
from programs.notifications.selectors import new_count
from tests.factories import UserFactory, gesture_input, place

backfill = importlib.import_module("programs.migrations.0010_notifications_backfill")

pytestmark = pytest.mark.usefixtures("category", "budget")


def _as_before_0010(**filters) -> Notification:
    """Undo what the services now record, and give the title the old bare amount."""
    notification = Notification.objects.get(kind="approval_requested", **filters)
    Notification.objects.filter(pk=notification.pk).update(
        resolved_at=None,
        resolution="",
        title=notification.title.replace("£", "").replace(",", ""),
    )
    notification.refresh_from_db()
    return notification


def _after_backfill(notification: Notification) -> Notification:
    # The migration runs against the models as they stood at 0010, as `migrate` would give it.
    state = MigrationLoader(connection).project_state(("programs", "0010_notifications_backfill"))
    backfill.forward(state.apps, None)
    notification.refresh_from_db()
    return notification


def test_a_decided_request_is_resolved_and_its_amount_formatted(agent, manager, team):
    other = place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-1")).gesture
    decide_approval(request=ApprovalRequest.objects.get(gesture=gesture), actor=other, approve=True)
    old = _as_before_0010(recipient=manager)
    assert old.title == "Approval needed: Gift for TCK-1 (60.00)"
    assert new_count(manager.pk) == 1
    notification = _after_backfill(old)
    assert notification.title == "Approval needed: Gift for TCK-1 (£60.00)"
    assert notification.resolution == "Decided by Zed Second — approved"
    assert new_count(manager.pk) == 0


@pytest.mark.parametrize(
    ("settle", "resolution"),
    [
        (lambda gesture, agent: withdraw_gesture(gesture=gesture, actor=agent), "Withdrawn"),
        (
            lambda gesture, agent: escalate_overdue(now=timezone.now() + timedelta(hours=25)),
            "Escalated to finance",
        ),
    ],
    ids=["withdrawn", "escalated"],
)
def test_a_withdrawn_or_escalated_request_is_resolved(agent, manager, settle, resolution):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    settle(gesture, agent)
    notification = _after_backfill(_as_before_0010(recipient=manager))
    assert notification.resolution == resolution


def test_a_request_moved_to_someone_else_is_resolved_for_whoever_had_it(agent, manager, team):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    second = place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)
    ApprovalRequest.objects.filter(gesture=gesture).update(assignee=second)
    notification = _after_backfill(_as_before_0010(recipient=manager))
    assert notification.resolution == "Reassigned to Zed Second"


def test_a_request_still_waiting_for_its_reader_stays_new(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="1250.00"))
    notification = _after_backfill(_as_before_0010(recipient=manager))
    assert notification.resolved_at is None
    assert notification.title.endswith("(£1,250.00)")
    assert new_count(manager.pk) == 1


def test_running_it_again_changes_nothing(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    once = _after_backfill(_as_before_0010(recipient=manager))
    twice = _after_backfill(once)
    assert (twice.title, twice.resolved_at) == (once.title, once.resolved_at)
