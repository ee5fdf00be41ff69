"""Two-factor authentication at the pages: enrolment, the code step at sign-in, recovery codes,
and the gate that keeps finance and administrators on the enrolment page until they enrol."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from accounts.models import RoleName, User
from tests.factories import (
    PASSWORD,
    UserFactory,
    enrolled,
    grant,
    recovery_codes,
    totp_code,
)
from tests.fuzz.conftest import build_world
from tests.fuzz.site_map import routes, url_of

LOGIN = reverse("account_login")
CODE_STEP = reverse("mfa_authenticate")
ENROL = reverse("mfa_activate_totp")
HOME = reverse("home")


def _log_in(client, person, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": person.email, "password": password}, **extra)


def _secret_on(page: str) -> str:
    found = re.search(r'id="authenticator-secret"[^>]*value="([A-Z2-7]+)"', page)
    assert found, "the enrolment page shows the secret as text"
    return found.group(1)


@pytest.fixture
def unenrolled_finance(db) -> User:
    return grant(UserFactory(name="Nia New"), RoleName.FINANCE, two_factor=False)


# Signing in with a code.


def test_signing_in_asks_an_enrolled_person_for_the_code_then_lets_them_in(client, finance_user):
    answer = _log_in(client, finance_user)

    assert answer.status_code == 302
    assert answer["Location"] == CODE_STEP
    assert "_auth_user_id" not in client.session
    page = client.get(CODE_STEP).content.decode()
    assert "Enter your authentication code" in page

    done = client.post(CODE_STEP, {"code": totp_code()})

    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(finance_user.pk)
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_keeps_them_out_with_a_message_beside_the_field(client, finance_user):
    _log_in(client, finance_user)

    page = client.post(CODE_STEP, {"code": "12345678"})

    assert page.status_code == 200
    assert "Incorrect code." in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(finance_user):
    code = recovery_codes(finance_user)[0]
    first, second = Client(), Client()

    _log_in(first, finance_user)
    first.post(CODE_STEP, {"code": code})
    _log_in(second, finance_user)
    refused = second.post(CODE_STEP, {"code": code})

    assert first.session["_auth_user_id"] == str(finance_user.pk)
    assert "Incorrect code." in refused.content.decode()
    assert "_auth_user_id" not in second.session


def test_wrong_codes_at_the_page_count_as_failed_sign_ins(client, finance_user):
    for _ in range(5):
        Client().post(LOGIN, {"login": finance_user.email, "password": PASSWORD})
    # Each attempt above passed the password (its count rolled back); now five wrong codes.
    for _ in range(5):
        attempt = Client()
        _log_in(attempt, finance_user)
        attempt.post(CODE_STEP, {"code": "12345678"})

    locked = _log_in(client, finance_user)

    assert "Too many failed login attempts" in locked.content.decode()


# Enrolment.


def test_finance_without_two_factor_is_sent_to_enrolment_after_signing_in(
    client, unenrolled_finance
):
    _log_in(client, unenrolled_finance)

    answer = client.get(HOME)

    assert answer.status_code == 302
    assert answer["Location"] == ENROL


def test_the_enrolment_page_shows_the_qr_code_and_the_secret_and_enrols(client, unenrolled_finance):
    _log_in(client, unenrolled_finance)  # allauth asks for the password again after a while
    page = client.get(ENROL).content.decode()

    assert '<svg class="qr__code" role="img" aria-label="QR code' in page
    assert "<?xml" not in page
    assert "requires two-factor authentication" in page
    secret = _secret_on(page)

    done = client.post(ENROL, {"code": totp_code(secret)})

    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done["Location"]).content.decode()
    assert all(code in codes_page for code in recovery_codes(unenrolled_finance))
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("empowerment:budgets")).status_code == 200


def test_a_wrong_code_at_enrolment_enrols_nobody(client, unenrolled_finance):
    _log_in(client, unenrolled_finance)  # allauth asks for the password again after a while
    client.get(ENROL)

    page = client.post(ENROL, {"code": "12345678"})

    assert page.status_code == 200
    assert "Incorrect code." in page.content.decode()
    assert not Authenticator.objects.filter(user=unenrolled_finance).exists()


def test_an_agent_is_not_sent_to_enrolment(client, agent):
    client.force_login(agent)

    assert client.get(HOME).status_code == 200


def test_an_agent_may_enrol_and_is_then_asked_for_a_code(client, agent):
    _log_in(client, agent)  # allauth asks for the password again after a while
    secret = _secret_on(client.get(ENROL).content.decode())
    client.post(ENROL, {"code": totp_code(secret)})
    client.logout()

    answer = _log_in(client, agent)

    assert answer["Location"] == CODE_STEP


def test_the_two_factor_page_lists_what_is_set_up(client, finance_user):
    client.force_login(finance_user)

    page = client.get(reverse("mfa_index")).content.decode()

    assert "An authenticator app is set up." in page
    assert "10 of 10 recovery codes are unused" in page


# The gate.


def test_finance_without_two_factor_reaches_only_enrolment_from_every_page(unenrolled_finance):
    """Every page the URLconf names (the page sweep's list, with real ids), the admin and the
    API: sent to enrolment, or refused with where to enrol; the way out stays open."""
    world = build_world()
    client = Client(raise_request_exception=False)
    _log_in(client, unenrolled_finance)
    always_open = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/")
    reached = []
    for route in routes():
        url = url_of(route, world)
        if url.startswith(always_open):
            continue
        answer = client.get(url)
        if not (answer.status_code == 302 and answer["Location"] == ENROL):
            reached.append((url, answer.status_code))
    assert reached == []
    assert client.get(reverse("admin:index"))["Location"] == ENROL
    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    assert ENROL in api.json()["detail"]
    assert client.get(reverse("healthz")).status_code in {200, 503}
    assert client.get(ENROL).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_an_htmx_request_of_someone_who_must_enrol_is_refused_without_a_page(
    client, unenrolled_finance
):
    client.force_login(unenrolled_finance)

    answer = client.get(HOME, headers={"HX-Request": "true"})

    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("text/plain")


def test_roles_that_require_two_factor_are_a_setting(client, agent, organiser, settings):
    settings.MFA_REQUIRED_ROLES = ["organiser"]
    client.force_login(agent)
    assert client.get(HOME).status_code == 200
    client.force_login(organiser)
    assert client.get(HOME)["Location"] == ENROL


def test_a_break_glass_superuser_must_enrol_too(client, db, settings):
    settings.PASSWORD_LOGIN = False
    root = User.objects.create_superuser("root@portal.test", PASSWORD, name="Root")

    client.post(f"{LOGIN}?break-glass", {"login": root.email, "password": PASSWORD})

    assert client.session["_auth_user_id"] == str(root.pk)
    assert client.get(reverse("admin:index"))["Location"] == ENROL


def test_an_enrolled_break_glass_superuser_signs_in_with_a_code(client, db, settings):
    settings.PASSWORD_LOGIN = False
    root = enrolled(User.objects.create_superuser("root@portal.test", PASSWORD, name="Root"))

    answer = client.post(f"{LOGIN}?break-glass", {"login": root.email, "password": PASSWORD})
    assert answer["Location"] == CODE_STEP
    client.post(CODE_STEP, {"code": totp_code()})

    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("credential", ["[" * 100_000 + "]" * 100_000, "x" * 70_000, "{}"])
def test_a_passkey_sign_in_with_a_hostile_credential_is_refused_not_a_server_error(db, credential):
    client = Client(raise_request_exception=False)
    client.get(reverse("mfa_login_webauthn"), headers={"Accept": "application/json"})

    answer = client.post(reverse("mfa_login_webauthn"), {"credential": credential})

    assert answer.status_code < 500
    assert "_auth_user_id" not in client.session
