import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import RoleName, TeamRole
from programs.people import services as people
from tests.factories import PASSWORD, grant

TOKEN_URL = reverse("api:auth-token")
ME_URL = reverse("api:me")


def test_token_for_email_and_password(api_client, manager):
    response = api_client.post(
        TOKEN_URL, {"email": manager.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=manager).key}


def test_same_token_is_returned_twice(api_client, manager):
    body = {"email": manager.email, "password": PASSWORD}
    first = api_client.post(TOKEN_URL, body, format="json").json()["token"]
    second = api_client.post(TOKEN_URL, body, format="json").json()["token"]
    assert first == second


@pytest.mark.parametrize(
    "body",
    [
        {"email": "manager@demo.test", "password": "wrong"},
        {"email": "nobody@example.test", "password": PASSWORD},
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "", "password": ""},
        {},
        {"email": ["a@b.c"], "password": {"x": 1}},
        {"email": "a" * 5000 + "@example.test", "password": PASSWORD},
    ],
)
def test_bad_credentials_are_a_400_with_field_errors(api_client, manager, body):
    response = api_client.post(TOKEN_URL, body, format="json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()


def test_malformed_json_is_a_400(api_client, db):
    response = api_client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_token_endpoint_is_throttled_per_client_even_with_forged_header(api_client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_token": "3/min",
        },
    }
    codes = [
        api_client.post(
            TOKEN_URL,
            {"email": "x@example.test", "password": "nope"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(5)
    ]
    assert codes == [400, 400, 400, 429, 429]


def test_me_without_credentials_is_401(api_client, db):
    response = api_client.get(ME_URL)
    assert response.status_code == 401


def test_me_with_a_bad_token_is_401(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(ME_URL).status_code == 401


def test_me_describes_the_caller(api_client, manager, team, other_team):
    people.set_membership(user=manager, team=other_team, role=TeamRole.AGENT, actor=None)
    grant(manager, RoleName.FINANCE)
    token = Token.objects.create(user=manager)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get(ME_URL)
    assert response.status_code == 200
    assert response.json() == {
        "id": manager.id,
        "email": manager.email,
        "name": manager.name,
        "roles": ["agent", "manager", "finance"],
        "teams": [
            {"id": team.id, "name": "Care North", "role": "manager"},
            {"id": other_team.id, "name": "Care South", "role": "agent"},
        ],
    }


def test_me_for_an_admin(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    assert api_client.get(ME_URL).json()["roles"] == ["admin"]


def test_schema_describes_the_endpoints(client, db):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


def test_schema_documents_the_token_endpoints_field_errors(client, db):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    answer = schema.json()["paths"]["/api/v1/auth/token/"]["post"]["responses"]["400"]
    body = schema.json()["components"]["schemas"][
        answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    ]

    assert {"email", "password", "non_field_errors"} <= set(body["properties"])
    assert not body.get("required")


def test_token_without_an_email_says_so_beside_the_field(api_client, db):
    response = api_client.post(TOKEN_URL, {"password": "x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email"}


def test_docs_load_nothing_from_outside(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "https://" not in html and "http://cdn" not in html
