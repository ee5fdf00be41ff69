import pytest
from django.urls import reverse

from programs.models import DeliveryStatus, Notification
from programs.services import notifications
from programs.services.gestures import log_gesture
from tests.factories import gesture_input

pytestmark = pytest.mark.usefixtures("category", "budget")


def test_admins_find_the_e_mails_that_failed_and_why(client, admin_user, agent, manager, team):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))  # an e-mail that goes out
    notifications.notify(
        kind="retired_kind", recipients=[agent], subject=team, event="old", title="Old news"
    )
    for notification in Notification.objects.all():
        notifications.deliver(notification.pk)
    assert Notification.objects.filter(email_status=DeliveryStatus.FAILED).count() == 1

    client.force_login(admin_user)
    response = client.get(
        reverse("admin:programs_notification_changelist"), {"email_status__exact": "failed"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Old news" in page and "Gave up" in page
    assert "Could not build the e-mail: TemplateDoesNotExist" in page
    assert "Approval needed" not in page


def test_admins_read_a_notification_with_its_context(client, admin_user, agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    notification = Notification.objects.get(kind="approval_requested")
    client.force_login(admin_user)
    response = client.get(reverse("admin:programs_notification_change", args=[notification.pk]))
    assert response.status_code == 200
    assert notification.context["due_at"].isoformat() in response.content.decode()
