"""Settings profiles, read from the environment in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k8#Qz0v!pL2m@Yx7rT4w&Nc9bH1sJ6dF3gK5hA8eU0iO2yR7tE4qW9zX1cV6bN3m"

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "time_zone": settings.TIME_ZONE,
    "email_backend": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "proxies": settings.TRUSTED_PROXY_COUNT,
    "drf_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
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
            "DATABASE_LOCK_TIMEOUT",
            "DATABASE_STATEMENT_TIMEOUT",
            "DATABASE_CONNECT_TIMEOUT",
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
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["broker"] == "redis://cache.internal:6379/0"
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
        ALLOWED_HOSTS="portal.example.com",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_is_debug_off_with_hashed_static_files(tmp_path):
    values = _settings_with(
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
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
