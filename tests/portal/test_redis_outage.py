"""Redis goes down under a running portal: people still sign in, log gestures and register.

Each test starts a Redis server of its own (the shared one stays up for everybody else), points
the cache and the Celery broker at it, and then stops it (or freezes it) part-way.
"""

import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from programs.days.models import Registration
from programs.empowerment.models import Gesture, GestureStatus
from programs.notifications.delivery import sweep
from programs.notifications.models import DeliveryStatus, Notification
from tests.factories import PASSWORD, appreciation_day, created_invitation
from tests.support.celery import broker_at
from tests.support.gesture_entry import form_data
from tests.support.redis import own_redis_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("programme", "category", "budget"),
]

LOGIN = reverse("account_login")
TOKEN_URL = reverse("api:auth-token")
HEALTH = reverse("healthz")


@pytest.fixture
def redis_server(tmp_path, settings):
    """A private redis-server behind the cache (db 0) and the broker (db 1)."""
    with own_redis_server(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.ResilientRedisCache",
                "LOCATION": server.url(0),
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        with broker_at(server.url(1), transport_options=settings.REDIS_BROKER_TRANSPORT_OPTIONS):
            yield server


@pytest.fixture
def invitation(organiser):
    return created_invitation(appreciation_day(organiser), organiser)


def _log_in(client: Client, email: str, password: str = PASSWORD, address: str = "192.0.2.1"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address)


def _token(email: str, password: str = PASSWORD, address: str = "192.0.2.2"):
    return APIClient().post(
        TOKEN_URL, {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def _register(token: str, email: str):
    return Client().post(
        reverse("days:public-register", args=[token]),
        {"name": "Rosa Customer", "email": email, "party_size": "2", "consent": "on"},
        REMOTE_ADDR="192.0.2.3",
    )


def test_with_redis_down_people_sign_in_log_gestures_and_register_and_nothing_is_lost(
    redis_server, agent, manager, invitation
):
    before = Client()
    assert _log_in(before, agent.email).status_code == 302
    assert redis_server.keys() > 0, "the sign-in never reached this Redis"
    assert Client().get(HEALTH).json()["status"] == "ok"

    redis_server.stop()
    started = time.monotonic()

    page = Client()
    assert _log_in(page, agent.email).status_code == 302
    assert page.get(reverse("home")).status_code == 200
    token = _token(agent.email)
    assert token.status_code == 200

    logged = page.post(reverse("empowerment:log-gesture"), form_data(cost="60.00"))
    assert logged.status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    through_api = api.post(reverse("api:gestures"), form_data(cost="5.00"), format="json")
    assert through_api.status_code == 201, through_api.content

    registered = _register(invitation.token, "rosa@customer.test")
    assert registered.status_code == 302
    assert Client().get(registered["Location"]).status_code == 200
    public_api = APIClient().post(
        reverse("api:public-registrations"),
        {
            "token": invitation.token,
            "name": "Ben",
            "email": "ben@customer.test",
            "party_size": 1,
            "consent": True,
        },
        format="json",
        REMOTE_ADDR="192.0.2.4",
    )
    assert public_api.status_code == 201, public_api.content

    health = Client().get(HEALTH)
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["database"] == "ok"
    assert health.json()["cache"].startswith("unavailable: ")
    assert "refused" in health.json()["cache"].lower()

    assert time.monotonic() - started < 15, "requests waited on the dead Redis"

    # Nothing was lost: the gestures and the registration are stored, and every message
    # waits in the outbox, since the broker (the same Redis) could not take it.
    assert sorted(Gesture.objects.values_list("status", flat=True)) == sorted(
        [GestureStatus.PENDING, GestureStatus.APPROVED]
    )
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "ben@customer.test",
        "rosa@customer.test",
    ]
    waiting = Notification.objects.order_by("pk")
    assert [n.kind for n in waiting] == [
        "approval_requested",
        "registration_confirmed",
        "registration_confirmed",
    ]
    assert {n.email_status for n in waiting} == {DeliveryStatus.PENDING}
    assert mail.outbox == []

    # Redis is back: the health check says so, and the sweeper sends what waited.
    redis_server.start()
    assert Client().get(HEALTH).json() | {"worker": None} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": None,
    }
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"{manager.name} <{manager.email}>", "rosa@customer.test", "ben@customer.test"]
    )


def test_with_redis_down_failed_sign_ins_are_still_limited(redis_server, manager):
    redis_server.stop()

    codes = [
        _token(manager.email, "guess", address=f"192.0.2.{10 + n}").status_code for n in range(5)
    ]
    assert codes == [400] * 5

    assert _token(manager.email, address="192.0.2.99").status_code == 429
    page = Client()
    response = _log_in(page, manager.email, address="192.0.2.98")
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in page.session


def test_with_redis_down_the_public_pages_are_still_throttled(redis_server, invitation, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public": "3/min",
        },
    }
    redis_server.stop()
    url = reverse("days:public-register", args=[invitation.token])

    codes = [Client().get(url, REMOTE_ADDR="192.0.2.50").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_with_redis_down_a_lost_link_is_still_sent_later_and_still_limited(
    redis_server, invitation
):
    Client().post(
        reverse("days:public-register", args=[invitation.token]),
        {"name": "Rosa", "email": "rosa@customer.test", "party_size": "1", "consent": "on"},
    )
    redis_server.stop()
    url = reverse("days:public-resend-link", args=[invitation.token])

    codes = [
        Client()
        .post(url, {"resend-email": "rosa@customer.test"}, REMOTE_ADDR=f"192.0.2.{60 + n}")
        .status_code
        for n in range(4)
    ]

    # Counted in the process's memory meanwhile; the three e-mails wait in the outbox.
    assert codes == [302, 302, 302, 429]
    waiting = Notification.objects.filter(kind="registration_link_resent")
    assert waiting.count() == 3
    assert {n.email_status for n in waiting} == {DeliveryStatus.PENDING}


def test_a_frozen_redis_costs_a_request_seconds_not_a_hang(redis_server, agent, invitation):
    assert _log_in(Client(), agent.email).status_code == 302
    # Stopped, not gone: connections are still accepted but nothing ever answers.
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        timings = []
        for request in (
            lambda: _log_in(Client(), agent.email),
            lambda: _token(agent.email),
            lambda: _register(invitation.token, "frozen@customer.test"),
            lambda: Client().get(HEALTH),
        ):
            started = time.monotonic()
            response = request()
            timings.append(time.monotonic() - started)
            assert response.status_code in {200, 302}
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)

    # At most one cache timeout and one broker timeout each; without them, minutes or forever.
    assert max(timings) < 6, timings
    assert Registration.objects.filter(email="frozen@customer.test").exists()
    assert Notification.objects.get().email_status == DeliveryStatus.PENDING
