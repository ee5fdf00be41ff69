"""Sign-in events recorded by real sign-ins: the login page, the token API, logging out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.identity.signins.models import EventKind, Method, SignInEvent
from programs.identity.signins.services import record_sign_in_event
from programs.identity.tasks import delete_old_sign_in_events as delete_task
from tests.factories import PASSWORD

LOGIN = reverse("account_login")
TOKEN_API = "/api/v1/auth/token/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password}, HTTP_USER_AGENT=BROWSER)


def only_event(**filters) -> SignInEvent:
    [event] = SignInEvent.objects.filter(**filters)
    return event


def test_a_password_sign_in_at_the_login_page_is_recorded(client, agent):
    assert log_in(client, agent.email, PASSWORD).status_code == 302

    event = only_event(person=agent)
    assert (event.kind, event.method) == (EventKind.SIGNED_IN, Method.PASSWORD)
    assert event.ip == "127.0.0.1"
    assert event.user_agent == BROWSER
    assert event.email == ""


def test_a_wrong_password_is_recorded_against_the_person_without_the_password(client, agent):
    log_in(client, agent.email.upper(), "not the password at all")

    event = only_event(person=agent)
    assert (event.kind, event.method) == (EventKind.SIGN_IN_FAILED, Method.PASSWORD)
    values = SignInEvent.objects.values_list(
        "kind", "method", "detail", "ip", "user_agent", "email"
    )
    assert "not the password" not in str(list(values))


def test_a_failure_for_an_address_nobody_has_keeps_the_address_lowercased(client, db):
    log_in(client, "Nobody.Here@Example.TEST", "whatever it is")

    event = only_event(kind=EventKind.SIGN_IN_FAILED)
    assert event.person is None
    assert event.email == "nobody.here@example.test"


def test_a_deactivated_persons_attempt_is_a_failure(client, agent):
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)
    log_in(client, agent.email, PASSWORD)
    assert only_event(person=agent).kind == EventKind.SIGN_IN_FAILED


def test_a_sign_in_refused_by_the_rate_limit_is_recorded_as_such(client, agent, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/5m/key"}
    for _ in range(2):
        log_in(client, agent.email, "wrong wrong wrong")
    response = log_in(client, agent.email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    kinds = list(SignInEvent.objects.of(agent).values_list("kind", flat=True))
    assert kinds == [EventKind.RATE_LIMITED, EventKind.SIGN_IN_FAILED, EventKind.SIGN_IN_FAILED]


def test_the_token_api_records_its_success_and_its_failure(api_client, agent):
    api_client.post(TOKEN_API, {"email": agent.email, "password": "wrong guess here"})
    response = api_client.post(
        TOKEN_API, {"email": agent.email, "password": PASSWORD}, HTTP_USER_AGENT="curl/8.5"
    )
    assert response.status_code == 200

    events = list(SignInEvent.objects.of(agent))
    assert [(e.kind, e.method) for e in events] == [
        (EventKind.SIGNED_IN, Method.TOKEN_API),
        (EventKind.SIGN_IN_FAILED, Method.TOKEN_API),
    ]
    assert events[0].user_agent == "curl/8.5"


def test_logging_out_is_recorded(client, agent):
    log_in(client, agent.email, PASSWORD)
    client.post(reverse("account_logout"))

    assert SignInEvent.objects.of(agent).first().kind == EventKind.SIGNED_OUT


def test_a_long_user_agent_is_cut_and_control_characters_blanked(agent, rf):
    request = rf.get("/", HTTP_USER_AGENT="A\x00B" + "x" * 1000)
    event = record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=Method.PASSWORD, request=request, person=agent
    )
    assert event.user_agent.startswith("A B") and len(event.user_agent) == 200


def test_old_events_are_deleted_after_the_retention_period(agent, settings):
    settings.SIGN_IN_EVENT_RETENTION_DAYS = 30
    old = record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=Method.PASSWORD, request=None, person=agent
    )
    SignInEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=Method.PASSWORD, request=None, person=agent
    )

    assert delete_task.delay().get() == 1
    assert list(SignInEvent.objects.all()) == [recent]


def test_the_retention_job_is_scheduled_daily(settings):
    job = settings.CELERY_BEAT_SCHEDULE["delete-old-sign-in-events"]
    assert job["task"] == delete_task.name


@pytest.mark.parametrize("kind", [EventKind.SIGNED_IN, EventKind.TOKEN_CREATED])
def test_the_database_refuses_an_event_of_nobody_that_is_not_a_failure(db, kind):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SignInEvent.objects.create(kind=kind, method=Method.PASSWORD, email="a@b.test")


def test_the_command_deletes_what_is_older_than_the_days_given(agent):
    from io import StringIO

    from django.core.management import call_command

    old = record_sign_in_event(
        kind=EventKind.SIGNED_IN, method=Method.PASSWORD, request=None, person=agent
    )
    SignInEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=8))
    out = StringIO()

    call_command("delete_old_sign_in_events", "--days", "7", stdout=out)

    assert out.getvalue().strip() == "1 sign-in event older than 7 days deleted."
    assert not SignInEvent.objects.exists()
