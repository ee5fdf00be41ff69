"""Sessions end when idle too long or too long after signing in; the stored times are moved
back to stand for the time passing."""

import pytest
from django.test import Client
from django.urls import reverse

from programs.identity.sessions import limits
from programs.identity.signins.models import EventKind, SignInEvent
from tests.factories import PASSWORD

HOME = reverse("home")
LOGIN = reverse("account_login")


@pytest.fixture
def signed_in(client, agent):
    response = client.post(LOGIN, {"login": agent.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def move_back(client, *, signed_in_by: float = 0, seen_by: float = 0) -> None:
    session = client.session
    session[limits.SIGNED_IN_AT] -= signed_in_by
    session[limits.SEEN_AT] -= seen_by
    session.save()


def test_signing_in_starts_both_clocks(signed_in):
    session = signed_in.session
    assert session[limits.SIGNED_IN_AT] == session[limits.SEEN_AT]


def test_an_idle_session_ends_and_the_login_page_says_why(signed_in, agent, settings):
    settings.SESSION_IDLE_MINUTES = 60
    move_back(signed_in, signed_in_by=61 * 60, seen_by=61 * 60)

    response = signed_in.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2F"
    page = signed_in.get(response["Location"]).content.decode()
    assert "signed out after 60 minutes without activity" in page
    assert "_auth_user_id" not in signed_in.session
    event = SignInEvent.objects.of(agent).first()
    assert (event.kind, event.detail) == (EventKind.SESSION_EXPIRED, "idle")


def test_a_session_in_use_still_ends_after_the_most_hours(signed_in, agent, settings):
    settings.SESSION_MAX_HOURS = 12
    move_back(signed_in, signed_in_by=12 * 3600 + 1)  # active a moment ago

    response = signed_in.get(HOME)

    assert response.status_code == 302
    page = signed_in.get(response["Location"]).content.decode()
    assert "signed in more than 12 hours ago" in page
    assert SignInEvent.objects.of(agent).first().detail == "max_age"


def test_a_session_within_both_limits_goes_on(signed_in):
    move_back(signed_in, signed_in_by=11 * 3600, seen_by=59 * 60)
    assert signed_in.get(HOME).status_code == 200


def test_activity_is_written_back_at_most_once_a_minute(signed_in):
    seen = signed_in.session[limits.SEEN_AT]
    signed_in.get(HOME)
    assert signed_in.session[limits.SEEN_AT] == seen  # seconds later: not written

    move_back(signed_in, seen_by=120)
    signed_in.get(HOME)
    assert signed_in.session[limits.SEEN_AT] > seen - 120


def test_an_htmx_request_is_sent_to_the_login_page_whole(signed_in):
    move_back(signed_in, signed_in_by=7200, seen_by=7200)

    response = signed_in.get(
        reverse("notifications:notifications-bell"), headers={"HX-Request": "true"}
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN


def test_an_api_request_on_an_expired_session_is_unauthenticated(signed_in):
    move_back(signed_in, signed_in_by=7200, seen_by=7200)
    assert signed_in.get("/api/v1/me/").status_code == 401


def test_a_session_from_before_the_limits_starts_its_clocks(agent):
    client = Client()
    client.force_login(agent)
    session = client.session
    del session[limits.SIGNED_IN_AT], session[limits.SEEN_AT]
    session.save()

    assert client.get(HOME).status_code == 200
    assert limits.SIGNED_IN_AT in client.session


def test_the_bells_background_poll_is_not_activity(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 60
    move_back(signed_in, seen_by=59 * 60)
    seen = signed_in.session[limits.SEEN_AT]

    bell = reverse("notifications:notifications-bell")
    assert signed_in.get(bell, headers={"HX-Request": "true"}).status_code in {200, 204}
    assert signed_in.session[limits.SEEN_AT] == seen

    move_back(signed_in, seen_by=2 * 60)  # an hour and a minute since the person did anything
    response = signed_in.get(bell, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == LOGIN
