from django.test import Client
from django.urls import reverse

from programs.audit.models import AuditEntry
from programs.identity.api_tokens import services as tokens
from programs.identity.signins.models import EventKind, SignInEvent
from tests.factories import PASSWORD

HOME = reverse("home")
LOGIN = reverse("account_login")
EVERYWHERE = reverse("identity:log-out-everywhere")


def signed_in_client(person, agent_string: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent_string)
    assert client.post(LOGIN, {"login": person.email, "password": PASSWORD}).status_code == 302
    return client


def test_log_out_everywhere_ends_this_and_every_other_session_but_keeps_tokens(agent):
    laptop, phone = signed_in_client(agent, "laptop"), signed_in_client(agent, "phone")
    issued = tokens.create_personal_token(person=agent, name="Script")

    response = laptop.post(EVERYWHERE)

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "logged out everywhere" in laptop.get(LOGIN).content.decode()
    assert laptop.get(HOME).status_code == 302
    assert phone.get(HOME).status_code == 302
    assert tokens.token_for_key(issued.key) is not None
    [entry] = AuditEntry.objects.filter(action="person.signed_out_everywhere")
    assert entry.data == {"sessions_ended": 2, "tokens_revoked": []}
    assert SignInEvent.objects.of(agent).first().kind == EventKind.SIGNED_OUT_EVERYWHERE


def test_log_out_everywhere_can_revoke_the_tokens_too(agent, api_client):
    laptop = signed_in_client(agent, "laptop")
    issued = tokens.create_personal_token(person=agent, name="Script")

    laptop.post(EVERYWHERE, {"revoke_tokens": "on"})

    assert tokens.token_for_key(issued.key) is None
    assert (
        api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {issued.key}").status_code == 401
    )
    [entry] = AuditEntry.objects.filter(action="person.signed_out_everywhere")
    assert entry.data["tokens_revoked"] == ["Script"]


def test_log_out_everywhere_leaves_other_people_signed_in(agent, manager):
    laptop, theirs = signed_in_client(agent, "laptop"), signed_in_client(manager, "theirs")
    laptop.post(EVERYWHERE)
    assert theirs.get(HOME).status_code == 200


def test_log_out_everywhere_is_a_post(agent):
    laptop = signed_in_client(agent, "laptop")
    assert laptop.get(EVERYWHERE).status_code == 405
    assert laptop.get(HOME).status_code == 200
