"""A deactivated person can use neither a session, nor their API token, nor a personal token."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programs.audit.models import AuditEntry
from programs.identity.api_tokens import services as tokens
from programs.identity.api_tokens.models import PersonalToken
from programs.people import services as people
from tests.factories import PASSWORD

ME = "/api/v1/me/"


def test_deactivating_ends_session_api_token_and_personal_tokens_at_once(agent, admin_user):
    browser = Client()
    browser.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})
    api_token = Token.objects.create(user=agent)
    personal = tokens.create_personal_token(person=agent, name="Script")
    api = APIClient()
    assert browser.get(reverse("home")).status_code == 200
    assert api.get(ME, HTTP_AUTHORIZATION=f"Bearer {personal.key}").status_code == 200

    people.deactivate_person(person=agent, actor=admin_user)

    assert browser.get(reverse("home")).status_code == 302
    assert api.get(ME, HTTP_AUTHORIZATION=f"Token {api_token.key}").status_code == 401
    assert api.get(ME, HTTP_AUTHORIZATION=f"Bearer {personal.key}").status_code == 401
    assert PersonalToken.objects.get().revoked_at is not None
    [entry] = AuditEntry.objects.filter(action="person.deactivated")
    assert entry.data["personal_tokens_revoked"] == ["Script"]
    assert entry.data["sessions_ended"] == 1


def test_reactivating_does_not_bring_a_personal_token_back(agent, admin_user):
    personal = tokens.create_personal_token(person=agent, name="Script")
    people.deactivate_person(person=agent, actor=admin_user)
    people.reactivate_person(person=agent, actor=admin_user)

    response = APIClient().get(ME, HTTP_AUTHORIZATION=f"Bearer {personal.key}")
    assert response.status_code == 401
