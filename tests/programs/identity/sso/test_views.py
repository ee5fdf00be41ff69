"""The sign-in URLs take any text where the provider's id goes, and answer 404 for anything
but a configured provider, never a server error."""

import pytest

from tests.programs.identity.sso.test_password_login import PROVIDERS

HOSTILE = ["%00x", "x" * 5000, "a%E2%80%AEb", "..%2F..", "openid_connect", "unknown"]


@pytest.mark.parametrize("provider_id", HOSTILE)
@pytest.mark.parametrize("step", ["login/", "login/callback/?code=1&state=2"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_provider_is_not_found(client, db, settings, provider_id, step, method):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS

    answer = getattr(client, method)(f"/accounts/oidc/{provider_id}/{step}")

    assert answer.status_code == 404


def test_password_reset_keys_take_any_text(client, db):
    assert client.get("/accounts/password/reset/key/1-%00/").status_code < 500
