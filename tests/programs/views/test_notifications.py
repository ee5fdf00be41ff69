import pytest
from django.urls import reverse

from programs.models import Notification
from programs.services.gestures import log_gesture
from tests.factories import gesture_input

pytestmark = pytest.mark.usefixtures("category", "budget")


@pytest.fixture
def told_manager(agent, manager):
    log_gesture(agent=agent, **gesture_input(cost="60.00"))
    return Notification.objects.get(recipient=manager)


def test_the_bell_counts_unread_notifications(client, manager, told_manager):
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert 'class="bell__count">1<' in html


def test_opening_one_marks_it_read_and_follows_its_link(client, manager, told_manager):
    client.force_login(manager)
    response = client.get(reverse("programs:notification-open", args=[told_manager.pk]))
    assert response.status_code == 302 and response["Location"] == told_manager.link
    told_manager.refresh_from_db()
    assert told_manager.read_at is not None
    assert "bell__count" not in client.get(reverse("home")).content.decode()


def test_nobody_opens_anothers_notification(client, agent, told_manager):
    client.force_login(agent)
    assert (
        client.get(reverse("programs:notification-open", args=[told_manager.pk])).status_code == 404
    )
    assert told_manager.title not in client.get(reverse("programs:notifications")).content.decode()


def test_mark_all_read(client, manager, told_manager):
    client.force_login(manager)
    page = client.get(reverse("programs:notifications")).content.decode()
    assert told_manager.title in page
    client.post(reverse("programs:notifications-read"))
    assert Notification.objects.for_user(manager).unread().count() == 0
