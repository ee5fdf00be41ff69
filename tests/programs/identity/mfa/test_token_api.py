"""``POST /api/v1/auth/token/`` with two-factor authentication: the code is required from whoever
has it, works once, and a wrong one counts as a failed sign-in."""

from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import RoleName
from tests.factories import PASSWORD, UserFactory, enrolled, grant, recovery_codes, totp_code

TOKEN_URL = reverse("api:auth-token")
ME_URL = reverse("api:me")
PER_ACCOUNT = 5  # the default "5/5m/key" part of login_failed


def _token(api_client, person, **body):
    return api_client.post(
        TOKEN_URL, {"email": person.email, "password": PASSWORD, **body}, format="json"
    )


def test_a_person_with_two_factor_gets_a_token_with_a_code(api_client, finance_user):
    response = _token(api_client, finance_user, code=totp_code())

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=finance_user).key


def test_without_the_code_the_answer_is_a_400_beside_the_code_field(api_client, finance_user):
    response = _token(api_client, finance_user)

    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert "authenticator app" in response.json()["code"][0]
    assert not Token.objects.filter(user=finance_user).exists()


def test_an_empty_code_is_no_code(api_client, finance_user):
    response = _token(api_client, finance_user, code="")

    assert response.status_code == 400
    assert "code" in response.json()


def test_a_wrong_code_is_a_400_beside_the_code_field(api_client, finance_user):
    response = _token(api_client, finance_user, code="000000" if totp_code() != "000000" else "1")

    assert response.status_code == 400
    assert response.json() == {"code": ["Incorrect code."]}
    assert not Token.objects.filter(user=finance_user).exists()


def test_a_code_works_once(api_client, finance_user):
    code = totp_code()
    assert _token(api_client, finance_user, code=code).status_code == 200

    again = _token(api_client, finance_user, code=code)

    assert again.status_code == 400
    assert "code" in again.json()


def test_a_recovery_code_works_once(api_client, finance_user):
    code = recovery_codes(finance_user)[0]

    first = _token(api_client, finance_user, code=code)
    second = _token(api_client, finance_user, code=code)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json() == {"code": ["Incorrect code."]}
    assert code not in recovery_codes(finance_user)


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(api_client, finance_user):
    answers = [_token(api_client, finance_user, code="12345678").status_code for _ in range(5)]
    assert answers == [400] * PER_ACCOUNT

    locked = _token(api_client, finance_user, code=totp_code())

    assert locked.status_code == 429
    assert not Token.objects.filter(user=finance_user).exists()


def test_wrong_codes_lock_the_login_page_too(api_client, client, finance_user):
    for _ in range(PER_ACCOUNT):
        _token(api_client, finance_user, code="12345678")

    page = client.post(
        reverse("account_login"), {"login": finance_user.email, "password": PASSWORD}
    )

    assert "Too many failed login attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_finance_without_two_factor_is_told_to_enrol_first(api_client, db):
    person = grant(UserFactory(), RoleName.FINANCE, two_factor=False)

    response = _token(api_client, person)

    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "two-factor authentication" in detail
    assert "http://testserver/accounts/2fa/totp/activate/" in detail
    assert not Token.objects.filter(user=person).exists()


def test_an_administrator_without_two_factor_is_told_to_enrol_first(api_client, db):
    person = grant(UserFactory(), RoleName.ADMIN, two_factor=False)

    assert _token(api_client, person).status_code == 403


def test_an_agent_without_two_factor_needs_no_code(api_client, agent):
    response = _token(api_client, agent)

    assert response.status_code == 200


def test_an_agent_who_enrolled_needs_the_code(api_client, agent):
    enrolled(agent)

    assert _token(api_client, agent).status_code == 400
    assert _token(api_client, agent, code=totp_code()).status_code == 200


def test_a_token_of_someone_who_must_enrol_is_refused_with_where_to_enrol(api_client, db):
    person = grant(UserFactory(), RoleName.FINANCE, two_factor=False)
    token = Token.objects.create(user=person)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get(ME_URL)

    assert response.status_code == 403
    assert "/accounts/2fa/totp/activate/" in response.json()["detail"]


def test_a_session_of_someone_who_must_enrol_is_refused_at_the_api(api_client, db):
    person = grant(UserFactory(), RoleName.ADMIN, two_factor=False)
    api_client.force_login(person)

    response = api_client.get(ME_URL)

    assert response.status_code == 403
    assert "/accounts/2fa/totp/activate/" in response.json()["detail"]


def test_the_token_works_once_they_have_enrolled(api_client, db):
    person = grant(UserFactory(), RoleName.FINANCE, two_factor=False)
    token = Token.objects.create(user=person)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    enrolled(person)

    assert api_client.get(ME_URL).status_code == 200


def test_the_schema_documents_the_code_and_the_answers(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    request = schema["components"]["schemas"]["TokenRequestRequest"]

    assert "code" in request["properties"]
    assert "code" not in request.get("required", [])
    assert {"200", "400", "403", "429"} <= set(operation["responses"])
    assert "code" in schema["components"]["schemas"]["TokenError"]["properties"]
