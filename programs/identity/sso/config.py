"""The single sign-on settings, read in one place (portal/settings.py describes them)."""

from django.conf import settings


def provider_apps() -> list[dict]:
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


def password_login() -> bool:
    return settings.PASSWORD_LOGIN


def allowed_domains() -> frozenset[str]:
    return frozenset(settings.SSO_ALLOWED_DOMAINS)


def groups_claim() -> str:
    return settings.SSO_GROUPS_CLAIM


def group_map() -> dict:
    return settings.SSO_GROUP_MAP
