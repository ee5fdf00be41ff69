"""Settings profiles, read from the environment in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k8#Qz0v!pL2m@Yx7rT4w&Nc9bH1sJ6dF3gK5hA8eU0iO2yR7tE4qW9zX1cV6bN3m"
AUDIT_KEY = "5f1c0a9e7b3d2c4e6a8b0d1f3e5c7a9b2d4f6e8a0c1b3d5f7e9a2c4b6d8f0e1a"

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "time_zone": settings.TIME_ZONE,
    "email_backend": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "proxies": settings.TRUSTED_PROXY_COUNT,
    "drf_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "hsts_seconds": settings.SECURE_HSTS_SECONDS,
    "hsts_include_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "hsts_preload": settings.SECURE_HSTS_PRELOAD,
    "api_docs_require_login": settings.API_DOCS_REQUIRE_LOGIN,
    "audit_key_id": settings.AUDIT_KEY_ID,
    "audit_key_ids": sorted(settings.AUDIT_KEYS),
    "audit_keys_hex": {name: key.hex() for name, key in settings.AUDIT_KEYS.items()},
    "audit_checkpoint_file": str(settings.AUDIT_CHECKPOINT_FILE),
    "beat_tasks": sorted(job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
}))
"""


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "PORTAL_ENV",
            "EMAIL_URL",
            "TIME_ZONE",
            "TRUSTED_PROXY_COUNT",
            "CELERY_BROKER_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "API_DOCS_REQUIRE_LOGIN",
            "AUDIT_KEY",
            "AUDIT_KEY_ID",
            "AUDIT_RETIRED_KEYS",
            "DATABASE_LOCK_TIMEOUT",
            "DATABASE_STATEMENT_TIMEOUT",
            "DATABASE_CONNECT_TIMEOUT",
            "NOTIFICATION_POLL_SECONDS",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    env.update(overrides)
    return env


def _settings_with(**overrides: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=_clean_env(**overrides),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_clean_env(**overrides),
        capture_output=True,
        text=True,
    )


def test_development_defaults_need_nothing_configured(tmp_path):
    values = _settings_with(PORTAL_VAR_DIR=str(tmp_path))
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert values["broker"] == "filesystem://"
    assert values["debug"] is True
    assert values["time_zone"] == "Europe/London"
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["proxies"] == 0
    assert values["drf_proxies"] == 0, "DRF must not trust X-Forwarded-For by default"


def test_database_redis_email_and_time_zone_come_from_the_environment(tmp_path):
    values = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp://mailer:secret@smtp.internal:587/?tls=True",
        TIME_ZONE="Europe/Dublin",
        TRUSTED_PROXY_COUNT="1",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    # Redis behind a backend that degrades to process memory, with timeouts short enough
    # that neither the cache nor the broker can hold a request up for long.
    assert values["cache"] == "portal.cache.ResilientRedisCache"
    assert values["cache_options"]["socket_connect_timeout"] <= 1
    assert values["cache_options"]["socket_timeout"] <= 2
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["broker_options"]["socket_connect_timeout"] <= 2
    assert values["broker_options"]["socket_timeout"] <= 5
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_host"] == "smtp.internal"
    assert values["time_zone"] == "Europe/Dublin"
    assert values["proxies"] == values["drf_proxies"] == 1


def test_postgresql_connections_wait_seconds_for_a_lock_and_thirty_for_a_statement(tmp_path):
    values = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path), DATABASE_URL="postgres://portal@db.internal:5432/portal"
    )
    assert values["db_options"] == {
        "connect_timeout": 5,
        "options": "-c lock_timeout=5000 -c statement_timeout=30000",
    }


def test_the_database_limits_come_from_the_environment_and_the_url_can_add_options(tmp_path):
    values = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://portal@db.internal:5432/portal?options=-c%20search_path%3Dportal",
        DATABASE_LOCK_TIMEOUT="2.5",
        DATABASE_STATEMENT_TIMEOUT="0",
        DATABASE_CONNECT_TIMEOUT="3",
    )
    assert values["db_options"] == {
        "connect_timeout": 3,
        "options": "-c lock_timeout=2500 -c statement_timeout=0 -c search_path=portal",
    }


def test_production_profile_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage(
        "check",
        PORTAL_ENV="production",
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_profile_passes_the_deploy_check_without_warnings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        AUDIT_KEY=AUDIT_KEY,
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "AUDIT_KEY": AUDIT_KEY,
    "ALLOWED_HOSTS": "portal.example.com",
}


def test_production_hsts_leaves_subdomains_and_preload_off_unless_asked(tmp_path):
    values = _settings_with(PORTAL_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert values["hsts_seconds"] == 60 * 60 * 24 * 365
    assert values["hsts_include_subdomains"] is False
    assert values["hsts_preload"] is False

    asked = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path),
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert asked["hsts_include_subdomains"] is True
    assert asked["hsts_preload"] is True


def test_production_passes_the_deploy_check_with_subdomains_and_preload_on_too(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PORTAL_VAR_DIR=str(tmp_path),
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_preload_without_subdomains_is_refused(tmp_path):
    result = _manage(
        "check", PORTAL_VAR_DIR=str(tmp_path), SECURE_HSTS_PRELOAD="true", **PRODUCTION
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_INCLUDE_SUBDOMAINS" in result.stderr


def test_api_docs_need_a_login_in_production_only_by_default(tmp_path):
    assert _settings_with(PORTAL_VAR_DIR=str(tmp_path))["api_docs_require_login"] is False
    assert _settings_with(PORTAL_VAR_DIR=str(tmp_path), **PRODUCTION)["api_docs_require_login"]
    opened = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path), API_DOCS_REQUIRE_LOGIN="false", **PRODUCTION
    )
    assert opened["api_docs_require_login"] is False


def test_production_profile_is_debug_off_with_hashed_static_files(tmp_path):
    values = _settings_with(
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        AUDIT_KEY=AUDIT_KEY,
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["portal.example.com"]
    assert values["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_development_profile_fails_the_deploy_check(tmp_path):
    """The check is real: the development defaults must not pass it."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0


@pytest.mark.parametrize("profile", ["staging", ""])
def test_unknown_profile_is_refused(tmp_path, profile):
    result = _manage("check", PORTAL_ENV=profile, PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "PORTAL_ENV" in result.stderr


@pytest.mark.parametrize("value", ["-5", "often", "2.5"])
def test_a_notification_poll_interval_that_is_not_a_count_of_seconds_is_refused(tmp_path, value):
    result = _manage("check", NOTIFICATION_POLL_SECONDS=value, PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "NOTIFICATION_POLL_SECONDS must be a whole number of seconds" in result.stderr


# The audit key.


def test_production_profile_refuses_to_start_without_an_audit_key(tmp_path):
    result = _manage(
        "check",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "AUDIT_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("AUDIT_KEY", "too-short", "at least 32 characters"),
        ("AUDIT_KEY_ID", "no spaces allowed", "an audit key id is"),
        ("AUDIT_RETIRED_KEYS", f"k1:{AUDIT_KEY}", "is taken"),
        ("AUDIT_RETIRED_KEYS", "k0:short", "at least 32 characters"),
    ],
)
def test_a_weak_or_ambiguous_audit_key_is_refused(tmp_path, variable, value, said):
    overrides = {"AUDIT_KEY": AUDIT_KEY, variable: value}
    result = _manage(
        "check",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
        **overrides,
    )
    assert result.returncode != 0
    assert said in result.stderr


def test_production_signs_with_the_configured_key_and_keeps_retired_ones(tmp_path):
    retired = "0" * 32 + "retired-audit-key"
    values = _settings_with(
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
        AUDIT_KEY=AUDIT_KEY,
        AUDIT_KEY_ID="2027",
        AUDIT_RETIRED_KEYS=f"2026:{retired}",
    )
    assert values["audit_key_id"] == "2027"
    assert values["audit_key_ids"] == ["2026", "2027"], "no derived development key in production"
    assert values["audit_keys_hex"] == {
        "2027": AUDIT_KEY.encode().hex(),
        "2026": retired.encode().hex(),
    }


def test_development_derives_an_audit_key_that_is_not_the_secret_key(tmp_path):
    first = _settings_with(PORTAL_VAR_DIR=str(tmp_path), SECRET_KEY=STRONG_KEY)
    other = _settings_with(PORTAL_VAR_DIR=str(tmp_path), SECRET_KEY=STRONG_KEY + "x")

    assert first["audit_key_id"] == "dev"
    derived = bytes.fromhex(first["audit_keys_hex"]["dev"])
    assert len(derived) == 32 and STRONG_KEY.encode() not in derived
    assert first["audit_keys_hex"]["dev"] != other["audit_keys_hex"]["dev"]


def test_audit_checkpoints_default_under_var_and_run_on_the_beat(tmp_path):
    values = _settings_with(PORTAL_VAR_DIR=str(tmp_path))
    assert values["audit_checkpoint_file"] == str(tmp_path / "audit-checkpoints.jsonl")
    assert "programs.tasks.checkpoint_audit" in values["beat_tasks"]

    elsewhere = _settings_with(
        PORTAL_VAR_DIR=str(tmp_path), AUDIT_CHECKPOINT_FILE="/srv/anchor/portal.jsonl"
    )
    assert elsewhere["audit_checkpoint_file"] == "/srv/anchor/portal.jsonl"
