"""The programme and notification admins: programmes edited through the service and audited;
failed e-mails found with their reason."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.audit.models import AuditEntry
from programs.empowerment.models import Programme
from programs.empowerment.services.gestures import log_gesture
from programs.notifications import delivery
from programs.notifications import services as notifications
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.notices import Notice
from tests.factories import UserFactory, gesture_input, staff_with
from tests.support.admin_pages import change_form_data


def change_url(programme: Programme) -> str:
    return reverse("admin:empowerment_programme_change", args=[programme.pk])


def test_changing_a_programmes_limits_in_the_admin_is_audited(admin_client, admin_user, programme):
    url = change_url(programme)
    data = change_form_data(admin_client, url) | {
        "gesture_limit": "75.00",
        "customer_daily_limit": "150.00",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    programme.refresh_from_db()
    assert programme.gesture_limit == Decimal("75.00")
    [entry] = AuditEntry.objects.filter(action="programme.updated", subject_id=str(programme.pk))
    assert entry.actor == admin_user
    assert entry.data == {
        "before": {"gesture_limit": "50.00", "customer_daily_limit": "100.00"},
        "after": {"gesture_limit": "75.00", "customer_daily_limit": "150.00"},
    }


def test_a_staff_member_with_the_programme_permission_is_audited_as_themself(client, programme):
    staff = staff_with(
        UserFactory(name="Pia Policy"), "empowerment.view_programme", "empowerment.change_programme"
    )
    client.force_login(staff)
    url = change_url(programme)

    response = client.post(url, change_form_data(client, url) | {"gesture_limit": "55.00"})

    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action="programme.updated", subject_id=str(programme.pk))
    assert entry.actor == staff


def test_an_invalid_limit_is_shown_beside_the_field_and_nothing_is_audited(admin_client, programme):
    url = change_url(programme)
    data = change_form_data(admin_client, url) | {"agent_allowance": "900.00"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert programme.agent_allowance == Decimal("200.00")
    assert not AuditEntry.objects.filter(action="programme.updated").exists()


def test_creating_a_programme_in_the_admin_is_audited(admin_client, admin_user, db):
    response = admin_client.post(
        reverse("admin:empowerment_programme_add"),
        {
            "name": "Kindness 2028",
            "currency": "EUR",
            "period": "quarterly",
            "gesture_limit": "30.00",
            "agent_allowance": "100.00",
            "allowance_floor": "0.00",
            "allowance_ceiling": "300.00",
            "second_tier_threshold": "200.00",
            "escalate_after_hours": "24",
            "customer_daily_limit": "80.00",
            "review_sample_percent": "10",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    created = Programme.objects.get(name="Kindness 2028")
    [entry] = AuditEntry.objects.filter(action="programme.created", subject_id=str(created.pk))
    assert entry.actor == admin_user
    assert entry.data["name"] == "Kindness 2028" and entry.data["is_active"] is False


@pytest.mark.usefixtures("category", "budget")
def test_admins_find_the_e_mails_that_failed_and_why(client, admin_user, agent, manager, team):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))  # an e-mail that goes out
    notifications.notify(
        notice=Notice(kind="retired_kind", title="Old news"),
        recipients=[agent],
        subject=team,
        event="old",
    )
    for notification in Notification.objects.all():
        delivery.deliver(notification.pk)
    assert Notification.objects.filter(email_status=DeliveryStatus.FAILED).count() == 1

    client.force_login(admin_user)
    response = client.get(
        reverse("admin:notifications_notification_changelist"), {"email_status__exact": "failed"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Old news" in page and "Gave up" in page
    assert "Could not build the e-mail: TemplateDoesNotExist" in page
    assert "Approval needed" not in page


@pytest.mark.usefixtures("category", "budget")
def test_admins_read_a_notification_with_its_context(client, admin_user, agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    notification = Notification.objects.get(kind="approval_requested")
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert response.status_code == 200
    assert notification.context["due_at"].isoformat() in response.content.decode()
