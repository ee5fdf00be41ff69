"""The single sign-on settings, read in one place (portal/settings.py describes them)."""

from urllib.parse import urlsplit

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


def provider_origins() -> list[str]:
    """Where a sign-in's form leads: each provider's origin (its authorisation endpoint is there
    for Entra ID, Okta, Google and Keycloak alike)."""
    origins = []
    for app in provider_apps():
        url = urlsplit(app["settings"]["server_url"])
        origin = f"{url.scheme}://{url.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
