"""Settings of the test provider. ``__main__`` sets the environment before Django reads this."""

import os
from pathlib import Path

DATA_DIR = Path(os.environ["OIDC_PROVIDER_DIR"])
ISSUER = os.environ["OIDC_PROVIDER_ISSUER"]

# A fresh secret per data directory (written by __main__), so nothing here is a real secret.
SECRET_KEY = (DATA_DIR / "secret-key.txt").read_text(encoding="utf-8").strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before oauth2_provider, so that its consent template is replaced by ours.
    "devtools.oidc_provider",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "devtools.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "provider.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"

# The portal runs on the same host (127.0.0.1), and browsers share cookies between the ports of
# one host: the provider's cookies need names of their own, or each site would log the other out.
SESSION_COOKIE_NAME = "test_provider_session"
CSRF_COOKIE_NAME = "test_provider_csrftoken"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA_DIR / "signing-key.pem").read_text(encoding="utf-8"),
    # Fixed, so the issuer in the discovery document and in every ID token is the same string
    # whatever Host header a request came with.
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": True,
    # Any port on loopback (RFC 8252), for "localhost" too: test servers and runserver
    # choose their ports, and browsers reach them by either name.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OAUTH2_VALIDATOR_CLASS": "devtools.oidc_provider.validators.ClaimsValidator",
    "SCOPES": {
        "openid": "Sign you in",
        "profile": "Your name and groups",
        "email": "Your e-mail address",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
