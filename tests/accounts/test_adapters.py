"""Failed sign-ins count per account, together, at the login page and at the token API.

allauth's ``login_failed`` rule (``ACCOUNT_RATE_LIMITS``: 10 a minute per address, 5 in five
minutes per account) is the one rule for both paths; the addresses below differ on purpose, so
only the per-account count can be what locks.
"""

import re
import time

from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD

LOGIN = reverse("account_login")
TOKEN_URL = reverse("api:auth-token")
LOCKED = "Too many failed login attempts"
PER_ACCOUNT = 5  # the default "5/5m/key" part of login_failed


def _address(n: int) -> str:
    return f"198.51.100.{n + 1}"


def _page(client, email: str, password: str, n: int, **extra):
    return client.post(
        LOGIN, {"login": email, "password": password}, REMOTE_ADDR=_address(n), **extra
    )


def _api(api_client, email: str, password: str, n: int, **extra):
    return api_client.post(
        TOKEN_URL,
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=_address(100 + n),
        **extra,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_at_the_token_api_from_many_addresses_lock_the_login_page(
    client, api_client, manager
):
    codes = [_api(api_client, manager.email, "guess", n).status_code for n in range(PER_ACCOUNT)]
    assert codes == [400] * PER_ACCOUNT

    response = _page(client, manager.email, PASSWORD, 50)

    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_failures_at_the_login_page_from_many_addresses_lock_the_token_api(
    client, api_client, manager
):
    for n in range(PER_ACCOUNT):
        assert "not correct" in _page(client, manager.email, "guess", n).content.decode()

    response = _api(api_client, manager.email, PASSWORD, 50)

    assert response.status_code == 429
    assert LOCKED in response.json()["detail"]
    assert not Token.objects.filter(user=manager).exists()


def test_failures_on_both_paths_add_up_to_one_count(client, api_client, manager):
    for n in range(3):
        _api(api_client, manager.email, "guess", n)
    for n in range(2):
        _page(client, manager.email, "guess", n)

    assert _api(api_client, manager.email, PASSWORD, 60).status_code == 429
    assert LOCKED in _page(client, manager.email, PASSWORD, 60).content.decode()
    assert not _logged_in(client)


def test_the_count_is_per_account_whatever_the_host_name_or_the_case(client, api_client, manager):
    hosts = ["localhost", "127.0.0.1", "testserver"]
    for n in range(PER_ACCOUNT):
        email = manager.email.upper() if n % 2 else manager.email
        _api(api_client, email, "guess", n, HTTP_HOST=hosts[n % len(hosts)])

    assert _api(api_client, manager.email, PASSWORD, 70, HTTP_HOST="localhost").status_code == 429


def test_the_lock_is_only_for_the_guessed_account(client, api_client, manager, agent):
    for n in range(PER_ACCOUNT):
        _api(api_client, manager.email, "guess", n)

    assert _api(api_client, agent.email, PASSWORD, 80).status_code == 200
    assert _page(client, agent.email, PASSWORD, 80).status_code == 302


def test_a_login_on_the_page_resets_nothing_for_guesses_at_the_api(client, api_client, manager):
    for n in range(PER_ACCOUNT - 1):
        _api(api_client, manager.email, "guess", n)

    # The owner logs in in between; that must not give the guesser a fresh allowance.
    assert _page(client, manager.email, PASSWORD, 90).status_code == 302
    assert _api(api_client, manager.email, "guess", 91).status_code == 400

    assert _api(api_client, manager.email, "guess", 92).status_code == 429


def test_a_token_from_the_api_resets_nothing_for_guesses_at_the_page(client, api_client, manager):
    for n in range(PER_ACCOUNT - 1):
        _page(client, manager.email, "guess", n)

    assert _api(api_client, manager.email, PASSWORD, 90).status_code == 200
    _page(client, manager.email, "guess", 91)

    assert LOCKED in _page(client, manager.email, PASSWORD, 92).content.decode()
    assert not _logged_in(client)


def test_the_right_password_is_refused_during_the_lock_and_accepted_once_the_window_passes(
    client, api_client, manager, settings
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": f"10/m/ip,{PER_ACCOUNT}/2s/key",
    }
    for n in range(PER_ACCOUNT):
        _api(api_client, manager.email, "guess", n)

    assert _api(api_client, manager.email, PASSWORD, 10).status_code == 429
    assert LOCKED in _page(client, manager.email, PASSWORD, 10).content.decode()

    time.sleep(2.2)

    assert _api(api_client, manager.email, PASSWORD, 11).status_code == 200
    assert _page(client, manager.email, PASSWORD, 11).status_code == 302


def test_a_completed_password_reset_unlocks_the_account_on_both_paths(client, api_client, manager):
    for n in range(PER_ACCOUNT):
        _api(api_client, manager.email, "guess", n)
    new_password = "N3w-passw0rd!for-the-owner"

    # Only the holder of the mailbox can finish a reset, so allauth clears the count then.
    client.post(reverse("account_reset_password"), {"email": manager.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    done = client.post(form, {"password1": new_password, "password2": new_password})
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    assert _api(api_client, manager.email, new_password, 20).status_code == 200
    assert _page(Client(), manager.email, new_password, 20).status_code == 302
