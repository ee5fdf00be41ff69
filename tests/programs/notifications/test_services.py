import os
import signal
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture
from programs.notifications import delivery
from programs.notifications import services as notifications
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.notices import Notice
from tests.factories import gesture_input
from tests.support.celery import broker_at
from tests.support.redis import own_redis_server

pytestmark = pytest.mark.usefixtures("category", "budget")


@pytest.fixture
def pending_gesture(agent, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture


def test_a_waiting_gesture_e_mails_its_manager_after_commit(pending_gesture, manager):
    notification = Notification.objects.get(kind="approval_requested")
    assert notification.recipient == manager
    assert notification.email_status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"Maya Manager <{manager.email}>"]
    assert "Approval needed" in message.subject
    assert pending_gesture.situation in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Approve or decline" in html


def test_nothing_is_sent_when_the_change_rolls_back(
    agent, manager, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        from django.db import transaction

        with transaction.atomic():
            log_gesture(agent=agent, **gesture_input(cost="60.00"))
            raise RuntimeError("the request failed after logging")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_agent_hears_the_decision_and_the_reason(
    pending_gesture, agent, manager, django_capture_on_commit_callbacks
):
    step = ApprovalRequest.objects.get(gesture=pending_gesture)
    with django_capture_on_commit_callbacks(execute=True):
        decide_approval(request=step, actor=manager, approve=False, comment="Try a call-back first")
    decided = Notification.objects.get(kind="gesture_decided")
    assert decided.recipient == agent
    assert "declined" in mail.outbox[-1].subject
    assert "Try a call-back first" in mail.outbox[-1].body


def test_escalation_tells_finance(
    pending_gesture, finance_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=timezone.now() + timedelta(hours=25))
    to_finance = Notification.objects.get(kind="approval_requested", recipient=finance_user)
    assert to_finance.email_status == DeliveryStatus.SENT
    assert "Escalated" in mail.outbox[-1].body


def test_the_same_event_is_recorded_once(pending_gesture, manager):
    step = ApprovalRequest.objects.get(gesture=pending_gesture)
    from programs.empowerment.services.approval_asks import announce_step

    announce_step(step)
    announce_step(step)
    assert Notification.objects.filter(kind="approval_requested").count() == 1


def test_delivering_twice_sends_once(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))  # on_commit not run: still waiting
    notification = Notification.objects.get()
    assert delivery.deliver(notification.pk) is True
    assert delivery.deliver(notification.pk) is False
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_what_waited_too_long(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    assert delivery.sweep() == 0  # too fresh: its own task may still be on the way
    later = timezone.now() + delivery.SWEEP_AFTER + timedelta(seconds=1)
    assert delivery.sweep(now=later) == 1
    assert delivery.sweep(now=later) == 0
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_then_given_up(agent, manager, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    notification = Notification.objects.get()
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        with pytest.raises(delivery.DeliveryFailed):
            delivery.deliver(notification.pk)
    assert delivery.deliver(notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.FAILED
    assert notification.attempts == delivery.MAX_ATTEMPTS
    assert "ConnectionRefused" in notification.last_error


def test_inactive_people_are_not_notified(agent, manager, team):
    manager.is_active = False
    told = notifications.notify(
        notice=Notice(kind="approval_requested", title="t"),
        recipients=[manager],
        subject=team,
        event="x",
    )
    assert told == []


def test_marking_read(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    assert Notification.objects.for_user(manager).unread().count() == 1
    assert notifications.mark_notifications_read(user=manager) == 1
    assert Notification.objects.for_user(manager).unread().count() == 0


def test_a_frozen_broker_holds_the_commit_up_once_not_once_per_message(
    tmp_path, settings, manager, django_capture_on_commit_callbacks
):
    customers = [f"guest{n}@customer.test" for n in range(5)]
    with own_redis_server(tmp_path) as server:
        transport = settings.REDIS_BROKER_TRANSPORT_OPTIONS
        with broker_at(server.url(1), transport_options=transport):
            os.kill(server.process.pid, signal.SIGSTOP)  # accepts connections, never answers
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                notifications.notify(
                    notice=Notice(kind="registration_confirmed", title="You are registered"),
                    recipients=customers,
                    subject=manager,
                    event="frozen-broker",
                )
            waited = time.monotonic() - started

    # One publish gave up after the broker's timeouts; the other four were not tried.
    assert waited < 2 * transport["socket_timeout"]
    assert Notification.objects.filter(email_status=DeliveryStatus.PENDING).count() == 5
