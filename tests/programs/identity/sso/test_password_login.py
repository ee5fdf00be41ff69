"""The login page with single sign-on configured, and PASSWORD_LOGIN=false: no password signs
anyone in (page, token API, password reset) but a superuser's, through the break-glass form."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory, enrolled, totp_code

LOGIN = reverse("account_login")
TOKEN_URL = reverse("api:auth-token")
RESET = reverse("account_reset_password")

PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "demo",
                "name": "Demo SSO",
                "client_id": "portal",
                "secret": "not-used-here",
                "settings": {"server_url": "http://127.0.0.1:9/o"},
            }
        ],
    }
}


@pytest.fixture
def sso(settings):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS


@pytest.fixture
def passwords_off(settings, sso):
    settings.PASSWORD_LOGIN = False


@pytest.fixture
def person(db):
    return UserFactory(email="agent@portal.test")


@pytest.fixture
def superuser(db):
    # As `manage.py createsuperuser` makes the break-glass account.
    return User.objects.create_superuser("root@portal.test", PASSWORD, name="Root")


def _log_in(client, email, password, path=LOGIN):
    return client.post(path, {"login": email, "password": password})


def test_the_login_page_offers_the_provider_before_the_password(client, db, sso):
    page = client.get(LOGIN).content.decode()

    assert "Sign in with Demo SSO" in page
    assert 'action="/accounts/oidc/demo/login/"' in page
    assert page.index("Sign in with Demo SSO") < page.index('name="password"')


def test_the_login_pages_forms_may_lead_to_the_provider_and_nowhere_else(client, db, sso):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    asked = client.get("/accounts/oidc/demo/login/")["Content-Security-Policy"]

    assert "form-action 'self' http://127.0.0.1:9" in policy
    assert "form-action 'self' http://127.0.0.1:9" in asked
    assert "127.0.0.1:9" not in client.get(RESET)["Content-Security-Policy"]


def test_without_providers_the_login_page_is_the_password_form_alone(client, db):
    page = client.get(LOGIN).content.decode()

    assert "Sign in with" not in page
    assert 'name="password"' in page


def test_with_passwords_off_the_login_page_has_no_password_form(client, db, passwords_off):
    page = client.get(LOGIN).content.decode()

    assert "Sign in with Demo SSO" in page
    assert 'name="password"' not in page


def test_with_passwords_off_a_persons_right_password_signs_nobody_in(client, person, passwords_off):
    answer = _log_in(client, person.email, PASSWORD)

    assert answer.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_break_glass_form_lets_a_superuser_in(client, superuser, passwords_off):
    page = client.get(f"{LOGIN}?break-glass").content.decode()
    assert 'name="password"' in page
    assert "Break-glass sign-in" in page

    answer = _log_in(client, superuser.email, PASSWORD, path=f"{LOGIN}?break-glass")

    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(superuser.pk)


def test_the_break_glass_form_refuses_everyone_else(client, person, passwords_off):
    _log_in(client, person.email, PASSWORD, path=f"{LOGIN}?break-glass")

    assert "_auth_user_id" not in client.session


def test_with_passwords_off_password_reset_is_off_too(client, person, passwords_off):
    page = client.get(RESET)
    sent = client.post(RESET, {"email": person.email})

    assert page.status_code == 403
    assert "Password reset is off" in page.content.decode()
    assert sent.status_code == 403
    assert mail.outbox == []
    assert client.get("/accounts/password/reset/key/1-set-password/").status_code == 403


def test_with_passwords_on_password_reset_works_as_before(client, person):
    assert client.get(RESET).status_code == 200
    client.post(RESET, {"email": person.email})

    assert len(mail.outbox) == 1


def test_with_passwords_off_the_token_api_refuses_a_persons_password(
    api_client, person, passwords_off
):
    answer = api_client.post(
        TOKEN_URL, {"email": person.email, "password": PASSWORD}, format="json"
    )

    assert answer.status_code == 400
    assert "token" not in answer.json()


def test_with_passwords_off_the_token_api_still_serves_the_superuser(
    api_client, superuser, passwords_off
):
    # A superuser counts as an administrator, who must have a second factor and give its code.
    enrolled(superuser)
    answer = api_client.post(
        TOKEN_URL,
        {"email": superuser.email, "password": PASSWORD, "code": totp_code()},
        format="json",
    )

    assert answer.status_code == 200
    assert answer.json()["token"]
