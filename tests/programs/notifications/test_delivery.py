"""Notifications through a real broker and a real worker, including the broker being down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest, GestureStatus
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.outbox import sweep_outbox
from tests.factories import gesture_input
from tests.support.celery import broker_at, private_broker, running_worker, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("category", "budget"),
]

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(tmp_path):
    with private_broker(tmp_path) as url:
        yield url


def test_a_real_worker_delivers_the_managers_e_mail(broker, agent, manager):
    with running_worker():
        log_gesture(agent=agent, **gesture_input(cost="60.00"))
        assert wait_for(lambda: len(mail.outbox) == 1), "the worker never sent the e-mail"
    assert mail.outbox[0].to == [f"Maya Manager <{manager.email}>"]
    assert Notification.objects.get().email_status == DeliveryStatus.SENT


def test_broker_down_the_change_commits_and_the_sweeper_sends_once_it_is_back(
    broker, agent, manager
):
    with broker_at(CLOSED_PORT):
        gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
        step = ApprovalRequest.objects.get(gesture=gesture)
        decide_approval(request=step, actor=manager, approve=True, comment="Good call")

    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED  # the approval committed regardless
    waiting = Notification.objects.order_by("pk")
    assert [n.kind for n in waiting] == ["approval_requested", "gesture_decided"]
    assert all(n.email_status == DeliveryStatus.PENDING for n in waiting)
    assert mail.outbox == []

    # Minutes pass; the broker is back and beat runs the sweeper on a real worker.
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    with running_worker():
        sweep_outbox.delay()
        assert wait_for(lambda: len(mail.outbox) == 2), "the sweeper did not send"
        sweep_outbox.delay()
        assert wait_for(lambda: Notification.objects.filter(email_status="sent").count() == 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"Maya Manager <{manager.email}>", f"Aisha Agent <{agent.email}>"]
    )
    assert len(mail.outbox) == 2
