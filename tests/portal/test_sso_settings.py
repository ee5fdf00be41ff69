"""SSO_PROVIDERS from the environment, read in a fresh interpreter each time."""

import json
import subprocess
import sys

from tests.portal.test_settings import ROOT, _clean_env

PRINT_APPS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]))
"""

ENTRA = {
    "id": "entra",
    "name": "Microsoft",
    "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
    "client_id": "client",
    "secret": "secret",
    "verified_claim": "xms_edov",
}


def _run(tmp_path, providers: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PRINT_APPS],
        cwd=ROOT,
        env=_clean_env(PORTAL_VAR_DIR=str(tmp_path), SSO_PROVIDERS=providers),
        capture_output=True,
        text=True,
    )


def test_each_provider_becomes_a_settings_app_with_pkce_on(tmp_path):
    result = _run(tmp_path, json.dumps([ENTRA, {**ENTRA, "id": "okta", "name": "Okta"}]))

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["OAUTH_PKCE_ENABLED"] is True
    first, second = config["APPS"]
    assert first == {
        "provider_id": "entra",
        "name": "Microsoft",
        "client_id": "client",
        "secret": "secret",
        "settings": {"server_url": ENTRA["server_url"], "verified_claim": "xms_edov"},
    }
    assert second["provider_id"] == "okta"
    assert second["settings"]["verified_claim"] == "xms_edov"


def test_no_providers_by_default(tmp_path):
    result = _run(tmp_path, "[]")

    assert json.loads(result.stdout.strip().splitlines()[-1])["APPS"] == []


def test_a_provider_without_its_secret_stops_the_portal(tmp_path):
    result = _run(tmp_path, json.dumps([{**ENTRA, "secret": ""}]))

    assert result.returncode != 0
    assert "SSO_PROVIDERS: an entry lacks ['secret']" in result.stderr


def test_two_providers_with_one_id_stop_the_portal(tmp_path):
    result = _run(tmp_path, json.dumps([ENTRA, ENTRA]))

    assert result.returncode != 0
    assert "same id" in result.stderr
