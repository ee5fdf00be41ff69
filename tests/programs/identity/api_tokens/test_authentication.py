from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.authtoken.models import Token

from programs.identity.api_tokens import services
from programs.identity.api_tokens.models import PersonalToken
from tests.factories import enrolled

ME = "/api/v1/me/"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_personal_token_authenticates_the_api_as_its_person(api_client, agent):
    issued = services.create_personal_token(person=agent, name="Script")

    response = api_client.get(ME, **bearer(issued.key))

    assert response.status_code == 200
    assert response.json()["email"] == agent.email
    assert PersonalToken.objects.get().last_used_at is not None


def test_the_existing_token_scheme_still_works(api_client, agent):
    token = Token.objects.create(user=agent)
    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_a_revoked_token_is_refused(api_client, agent):
    issued = services.create_personal_token(person=agent, name="Script")
    services.revoke_personal_token(token=issued.token, actor=agent)

    response = api_client.get(ME, **bearer(issued.key))

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or revoked personal token."


def test_an_unknown_or_malformed_bearer_is_refused(api_client, db):
    for header in ["Bearer aep_pat_" + "a" * 40, "Bearer", "Bearer two parts", "Bearer x"]:
        response = api_client.get(ME, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_an_inactive_persons_token_is_refused_even_if_not_revoked(api_client, agent):
    issued = services.create_personal_token(person=agent, name="Script")
    type(agent).objects.filter(pk=agent.pk).update(is_active=False)

    assert api_client.get(ME, **bearer(issued.key)).status_code == 401


def test_the_schema_documents_the_bearer_scheme(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    scheme = schema["components"]["securitySchemes"]["personalToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"personalToken": []} in me["security"]


def test_a_token_of_finance_without_two_factor_is_refused_until_they_enrol_again(
    api_client, finance_user
):
    issued = services.create_personal_token(person=finance_user, name="Month-end export")
    assert api_client.get(ME, **bearer(issued.key)).status_code == 200
    # They removed their authenticator app: like every other way in, the token waits for it.
    Authenticator.objects.filter(user=finance_user).delete()

    response = api_client.get(ME, **bearer(issued.key))

    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"].lower()
    enrolled(finance_user)
    assert api_client.get(ME, **bearer(issued.key)).status_code == 200
