"""Settings for the Appreciation & Empowerment Portal.

The environment is read here, once, and nowhere else (12-factor). Every value has a safe
development default so that a new machine runs the portal with nothing configured:
SQLite when ``DATABASE_URL`` is unset, a file-system Celery broker when ``REDIS_URL`` is unset.

``PORTAL_ENV=production`` switches to the production profile: no development defaults for
secrets, HTTPS-only cookies, HSTS, hashed static files and the API docs behind a login. It
passes ``check --deploy``.
"""

import hashlib
import hmac
import re
import urllib.parse
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

PORTAL_ENV = env.str("PORTAL_ENV", default="development")
if PORTAL_ENV not in {"development", "production"}:
    raise environ.ImproperlyConfigured("PORTAL_ENV must be 'development' or 'production'.")
PRODUCTION = PORTAL_ENV == "production"

# Runtime files of the embedded default (SQLite, broker queue, cache, beat schedule).
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="development-only-secret-key-do-not-use-in-production-4f8a"
    )
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Every profile shows the portal's own 400/404/500 pages (JSON under /api/). Django's technical
# pages, which list every URL pattern and show tracebacks, only with DEBUG and this set to true.
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)


# The audit trail's keys: every entry's hash, and every checkpoint, is an HMAC-SHA256 with one of
# them (see programs/audit/keys.py). They live in the environment and never in the database, so
# whoever can write the database still cannot forge the chain. AUDIT_KEY signs what is written
# now, under the id AUDIT_KEY_ID; after a rotation the earlier keys stay in AUDIT_RETIRED_KEYS
# ("id:secret,id:secret") so that what they signed still verifies. The development profile
# derives a key (id "dev") from SECRET_KEY when none is given.
def _audit_keys() -> tuple[str, dict[str, bytes]]:
    min_length = 32
    keys: dict[str, bytes] = {}

    def add(key_id: str, secret: str, source: str) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,16}", key_id):
            raise environ.ImproperlyConfigured(
                f"{source}: an audit key id is 1-16 letters, digits, '.', '_' or '-'."
            )
        if len(secret) < min_length:
            raise environ.ImproperlyConfigured(
                f"{source}: an audit key needs at least {min_length} characters "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if key_id in keys:
            raise environ.ImproperlyConfigured(f"{source}: the audit key id {key_id!r} is taken.")
        keys[key_id] = secret.encode()

    secret = env.str("AUDIT_KEY") if PRODUCTION else env.str("AUDIT_KEY", default="")
    if secret:
        current = env.str("AUDIT_KEY_ID", default="k1")
        add(current, secret, "AUDIT_KEY")
    else:
        current = "dev"
    for item in env.list("AUDIT_RETIRED_KEYS", default=[]):
        key_id, _, retired = item.strip().partition(":")
        add(key_id, retired, "AUDIT_RETIRED_KEYS")
    if not PRODUCTION and "dev" not in keys:
        # Domain-separated, so the audit key never equals anything else derived from SECRET_KEY.
        keys["dev"] = hmac.new(
            SECRET_KEY.encode(), b"appreciation-portal:audit-chain-key:v1", hashlib.sha256
        ).digest()
    return current, keys


AUDIT_KEY_ID, AUDIT_KEYS = _audit_keys()

# Audit checkpoints: the chain's head, signed with the audit key, appended to this file (keep it
# off the database server, ideally on storage the database's administrators cannot rewrite) and
# e-mailed to these addresses (e.g. finance's shared mailbox; none by default).
AUDIT_CHECKPOINT_FILE = Path(
    env.str("AUDIT_CHECKPOINT_FILE", default=str(VAR_DIR / "audit-checkpoints.jsonl"))
)
AUDIT_CHECKPOINT_EMAILS = env.list("AUDIT_CHECKPOINT_EMAILS", default=[])
AUDIT_CHECKPOINT_MINUTES = env.int("AUDIT_CHECKPOINT_MINUTES", default=60)

# The link the portal puts in e-mails; requests are not always there to build it from.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# How many reverse proxies stand in front of the portal. 0 (the default) means none: the
# client's address is the socket's, and X-Forwarded-For is ignored, so nobody can forge it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # allauth's "sessions" page (sign out everywhere else) writes times with humanize's tags.
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "portal",
    "accounts",
    "programs",
    "programs.audit",
    "programs.notifications",
    "programs.empowerment",
    "programs.days",
    "programs.stories",
    "programs.insights",
    "programs.people",
    "programs.identity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.admin_queries.RefuseControlCharactersInAdminQueries",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: ends a session idle or old beyond its limits
    # (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS) and says so on the login page.
    "programs.identity.sessions.middleware.SessionLimitsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Once the session's person (and htmx) is known: finance and admin reach only enrolment
    # until they have enrolled in two-factor authentication.
    "programs.identity.mfa.gate.TwoFactorEnrolmentGate",
    # The portal's error pages even with DEBUG on (see DEBUG_ERROR_PAGES below).
    "portal.middleware.PortalErrorPagesMiddleware",
    # Last, so it sees a view's exception first: lock and statement timeouts become a 503.
    "portal.middleware.BusyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

# Databases: PostgreSQL in any real deployment, SQLite as the embedded default.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if not PRODUCTION else 60)
# How long one request may wait for a lock, and run one statement, before PostgreSQL gives up
# (seconds; 0 means no limit). A request that hits either answers "busy, try again" (503 with
# Retry-After) instead of stalling; the lock order and timeouts are described in
# portal/locking.py. Celery workers, whose jobs may wait and run longer, apply the WORKER_
# values instead (portal/celery.py); management commands use the web values.
DATABASE_LOCK_TIMEOUT = env.float("DATABASE_LOCK_TIMEOUT", default=5)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=30)
WORKER_DATABASE_LOCK_TIMEOUT = env.float("WORKER_DATABASE_LOCK_TIMEOUT", default=30)
WORKER_DATABASE_STATEMENT_TIMEOUT = env.float("WORKER_DATABASE_STATEMENT_TIMEOUT", default=120)
# Giving up on an unreachable database server, rather than hanging until TCP does.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from portal.database import use_limits

    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASE_CONNECT_TIMEOUT
    )
    use_limits(
        DATABASES["default"],
        lock_timeout=DATABASE_LOCK_TIMEOUT,
        statement_timeout=DATABASE_STATEMENT_TIMEOUT,
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the embedded worker share the file: take the write lock when a
    # transaction starts (IMMEDIATE) and wait for it, instead of failing with "database is
    # locked" when two transactions meet half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when configured; otherwise a file cache, which the web process and the embedded worker
# share (throttle counters and the worker heartbeat must be visible to both).
REDIS_URL = env.str("REDIS_URL", default="")
# The cache holds only rate-limit counters and hints, so a Redis outage must never cost more
# than these timeouts: the backend (portal.cache) then counts in process memory, logs a warning,
# and tries Redis again every RETRY_AFTER seconds. /healthz reports "degraded" meanwhile.
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
    "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=1.0),
    "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5.0),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": env.str("CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # NCSC and NIST SP 800-63B: length, not composition rules; 12 for a password that guards
    # money, checked against the common-password list and the person's own name and address.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; no public sign-up (people are invited or created by
# an admin); failed logins are rate-limited per client address and per account.
ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # Not an account action, but the same kind of limit as a password reset: a customer asks
    # for their private registration link again (programs/days/views/registrations.py). Per client
    # address, and per e-mail address so that nobody can fill someone's inbox.
    "resend_registration_link": env.str("RESEND_LINK_RATE_LIMIT", default="30/h/ip,3/h/key"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# ---- Two-factor authentication (allauth.mfa) -----------------------------------------------
# An authenticator app (TOTP) with recovery codes, and passkeys or security keys (WebAuthn) where
# the browser offers them. The rules (who must enrol, recovery, a lost device) are in
# docs/security.md#two-factor-authentication.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth's WebAuthn forms whose credential field refuses hostile JSON as a form error.
MFA_FORMS = {
    "add_webauthn": "programs.identity.mfa.forms.PortalAddWebAuthnForm",
    "authenticate_webauthn": "programs.identity.mfa.forms.PortalAuthenticateWebAuthnForm",
    "login_webauthn": "programs.identity.mfa.forms.PortalLoginWebAuthnForm",
    "reauthenticate_webauthn": "programs.identity.mfa.forms.PortalReauthenticateWebAuthnForm",
}
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Appreciation Portal")
# One 30-second step either side of now: phones' clocks drift, and a code typed as it turns over
# still works. Each code works once all the same (allauth remembers it for the whole window).
MFA_TOTP_TOLERANCE = env.int("MFA_TOTP_TOLERANCE", default=1)
# WebAuthn needs a secure context: HTTPS, or http://localhost (not 127.0.0.1) while developing.
# true lets any origin through, for a development machine reached some other way over plain HTTP.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
if PRODUCTION and MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN:
    raise environ.ImproperlyConfigured(
        "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is for development only; production runs on HTTPS."
    )
# allauth refuses enrolment to someone with an unverified address, against strangers who sign up
# with another's address. Nobody signs up here (an administrator, an invitation or the identity
# provider, with an address it vouches for, creates people), and finance must be able to enrol.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# The roles that must use two-factor authentication: until enrolled, such a person reaches only
# the enrolment pages (programs/identity/mfa/gate.py). A superuser counts as admin.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=["finance", "admin"])
_ROLES = {"agent", "manager", "finance", "organiser", "admin"}
if unknown := sorted(set(MFA_REQUIRED_ROLES) - _ROLES):
    raise environ.ImproperlyConfigured(
        f"MFA_REQUIRED_ROLES: unknown role(s) {unknown}; the roles are {sorted(_ROLES)}."
    )
# ---- end of two-factor authentication ------------------------------------------------------


# ---- Single sign-on (OpenID Connect) -------------------------------------------------------
# Sign-in through the company's identity provider(s) with allauth's openid_connect provider;
# docs/operations.md has examples for Entra ID, Okta, Google Workspace and Keycloak, and the
# rules (who is created, linked or refused; what the group map does) are in docs/security.md.
# SSO_PROVIDERS: a JSON list, one object per provider: "id" (in the callback URL
# /accounts/oidc/<id>/login/callback/), "name" (the button says "Sign in with <name>"),
# "server_url" (the issuer; its /.well-known/openid-configuration is read at sign-in),
# "client_id", "secret", and optionally "verified_claim" (the claim that vouches for the
# e-mail address; "email_verified" unless the provider names it otherwise).
def _sso_providers() -> list[dict]:
    raw = env.json("SSO_PROVIDERS", default=[])
    required = ("id", "name", "server_url", "client_id", "secret")
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise environ.ImproperlyConfigured("SSO_PROVIDERS must be a JSON list of objects.")
    apps = []
    for item in raw:
        missing = [key for key in required if not isinstance(item.get(key), str) or not item[key]]
        if missing:
            raise environ.ImproperlyConfigured(f"SSO_PROVIDERS: an entry lacks {missing}.")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", item["id"]):
            raise environ.ImproperlyConfigured(
                "SSO_PROVIDERS: an id is up to 40 lower-case letters, digits, '-' or '_'."
            )
        apps.append(
            {
                "provider_id": item["id"],
                "name": item["name"],
                "client_id": item["client_id"],
                "secret": item["secret"],
                "settings": {
                    "server_url": item["server_url"],
                    "verified_claim": item.get("verified_claim", "email_verified"),
                },
            }
        )
    if len({app["provider_id"] for app in apps}) != len(apps):
        raise environ.ImproperlyConfigured("SSO_PROVIDERS: two providers have the same id.")
    return apps


# The group map: SSO_GROUPS_CLAIM names the claim that lists a person's groups, SSO_GROUP_MAP
# (JSON) says what each group gives: {"cs-finance": {"roles": ["finance"]},
# "cs-team-north": {"teams": {"Care North": "agent"}}}. Checked by programs/identity/checks.py.
def _sso_group_map() -> dict:
    raw = env.json("SSO_GROUP_MAP", default={})
    if not isinstance(raw, dict):
        raise environ.ImproperlyConfigured("SSO_GROUP_MAP must be a JSON object.")
    return raw


SOCIALACCOUNT_ADAPTER = "programs.identity.sso.adapter.PortalSocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": _sso_providers()},
}
# The portal decides itself whom a sign-in creates or links (programs/identity/sso/), so
# allauth's own linking by e-mail address stays off; nobody sees a sign-up form.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
# The provider is asked only during a sign-in; a slow one must not hold a worker for long.
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=10)
# E-mail domains whose people a first sign-in may create (lower case; subdomains not implied).
SSO_ALLOWED_DOMAINS = [domain.lower() for domain in env.list("SSO_ALLOWED_DOMAINS", default=[])]
SSO_GROUPS_CLAIM = env.str("SSO_GROUPS_CLAIM", default="")
SSO_GROUP_MAP = _sso_group_map()
# false: nobody signs in with a password (page, token API, password reset) but a superuser,
# through the break-glass form at /accounts/login/?break-glass.
PASSWORD_LOGIN = env.bool("PASSWORD_LOGIN", default=True)
# A passkey signs in without the identity provider too, so it goes with password sign-in.
MFA_PASSKEY_LOGIN_ENABLED = PASSWORD_LOGIN
# ---- end of single sign-on -----------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
# Outside production, whitenoise serves straight from the app folders (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: printed to the console by default; EMAIL_URL (smtp://user:pass@host:587/?tls=True)
# points it at a real server.
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Appreciation Portal <portal@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Appreciation Portal] "

# Django REST framework.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A token of someone who must enrol in two-factor authentication first is refused (403).
        "programs.identity.mfa.gate.EnrolledTokenAuthentication",
        # Authorization: Bearer <personal token>, made on the "API tokens" page.
        "programs.identity.api_tokens.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.portal_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "auth_token": env.str("AUTH_TOKEN_THROTTLE_RATE", default="10/min"),
        "public": env.str("PUBLIC_THROTTLE_RATE", default="30/min"),
    },
    # Too-deep JSON, and NUL or control characters anywhere in a body, are a 400 before any
    # view reads it (portal/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Appreciation & Empowerment Portal API",
    "DESCRIPTION": "Gestures, budgets, approvals, audit and Customer Appreciation Days.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:pk> in the API's paths (portal/converters.py): a whole number from 1 to the largest
    # bigint; anything else in that place matches no path and is a 404.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    # A choice set shown by more than one component needs a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "ApprovalStatusEnum": "programs.empowerment.models.ApprovalStatus",
        "DayStatusEnum": "programs.days.models.DayStatus",
        "RegistrationStatusEnum": "programs.days.models.RegistrationStatus",
    },
}

# Celery: Redis as broker when REDIS_URL is set. Without it, a file-system broker under
# var/celery, so the embedded worker (and its beat scheduler) still runs periodic jobs on
# one machine with nothing else installed.
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task (time limit below), so a running task is never handed out twice.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A dead or frozen Redis must not hold a web request that publishes: give up quickly (the
    # outbox keeps the message). Longer than the worker's 1-second BRPOP, so consuming is unharmed.
    "socket_connect_timeout": env.float("BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("BROKER_SOCKET_TIMEOUT", default=2.0),
}
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing must not hang a web request when the broker is down: fail fast, the outbox keeps
# the message and the sweeper sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.tasks.record_worker_heartbeat", "schedule": 60.0},
    "sweep-outbox": {"task": "programs.tasks.sweep_outbox", "schedule": 60.0},
    "escalate-overdue-approvals": {
        "task": "programs.tasks.escalate_overdue_approvals",
        "schedule": 15 * 60.0,
    },
    "weekly-digest": {
        "task": "programs.tasks.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "thanks-digest": {
        "task": "programs.tasks.send_thanks_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=45),
    },
    "roll-over-budgets": {
        "task": "programs.tasks.roll_over_budgets",
        "schedule": crontab(hour=0, minute=10),
    },
    "reminders": {"task": "programs.tasks.send_reminders", "schedule": crontab(minute=5)},
    "audit-checkpoint": {
        "task": "programs.tasks.checkpoint_audit",
        "schedule": AUDIT_CHECKPOINT_MINUTES * 60.0,
    },
    "delete-old-sign-in-events": {
        "task": "programs.identity.tasks.delete_old_sign_in_events",
        "schedule": crontab(hour=3, minute=20),
    },
    "anonymise-registrations": {
        "task": "programs.tasks.anonymise_old_registrations",
        "schedule": crontab(hour=3, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The schema (/api/schema/) and its browsable docs (/api/docs/) describe every endpoint: in
# production only people who are logged in (or hold a token) read them.
API_DOCS_REQUIRE_LOGIN = env.bool("API_DOCS_REQUIRE_LOGIN", default=PRODUCTION)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp) on every response: scripts, styles, images, fonts and
# requests only from the portal itself, no inline script or style anywhere (htmx's indicator
# style is in portal.css; see the htmx-config meta tag in base.html), no plugins, never framed,
# forms post only back to the portal. No page needs a nonce. The API docs page adds the little
# Swagger UI needs (portal/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Permissions-Policy: the portal uses none of these browser features, so no page (nor anything
# injected into one) may. The door page needs no camera: staff scan a customer's QR code with
# the phone's own camera app, which opens the door page at the registration. Only features
# Chromium recognises: an unknown one makes it log an error on every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    # Off unless asked for: an intranet often shares its parent domain with sites that are not
    # (yet) on HTTPS, and both settings would bind every one of them, preload for good.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if SECURE_HSTS_PRELOAD and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        raise environ.ImproperlyConfigured(
            "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS: browsers' preload lists "
            "accept only a policy that covers the subdomains."
        )
    # The deploy check warns about both while they are off; off is this profile's decision.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
    if TRUSTED_PROXY_COUNT:
        # Only a proxy we were told about may say the original request was HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Appreciation days: customers' names, e-mail addresses and notes are erased this many days
# after their day ends (`manage.py anonymise_registrations`, also run daily by the worker).
REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=90)

# How often each open page asks whether the notification bell's count changed (seconds; the
# answer is one indexed query, and nothing at all while it has not changed). 0 switches the
# live count off: the bell then changes when a page loads.
try:
    NOTIFICATION_POLL_SECONDS = env.int("NOTIFICATION_POLL_SECONDS", default=30)
except ValueError:
    NOTIFICATION_POLL_SECONDS = -1
if NOTIFICATION_POLL_SECONDS < 0:
    raise environ.ImproperlyConfigured(
        "NOTIFICATION_POLL_SECONDS must be a whole number of seconds, 0 or more."
    )

# --- People management (issue 14, section 3): invitations, CSV import, SCIM provisioning ---
# How long an invitation link works (days; it works once).
PEOPLE_INVITATION_DAYS = env.int("PEOPLE_INVITATION_DAYS", default=7)
# Limits of one CSV import at /people/import/ (and `manage.py import_people`).
PEOPLE_IMPORT_MAX_BYTES = env.int("PEOPLE_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
PEOPLE_IMPORT_MAX_ROWS = env.int("PEOPLE_IMPORT_MAX_ROWS", default=5000)
# SCIM 2.0 at /scim/v2/ (django-scim2): Users are people, Groups are teams. Only a bearer of a
# provisioning token (`manage.py create_scim_token NAME`) gets in; sessions never do.
INSTALLED_APPS += ["django_scim"]
_PORTAL_ADDRESS = urllib.parse.urlsplit(PORTAL_BASE_URL)
SCIM_SERVICE_PROVIDER = {
    "SCHEME": _PORTAL_ADDRESS.scheme or "https",
    "NETLOC": _PORTAL_ADDRESS.netloc or "localhost",
    "USER_ADAPTER": "programs.people.scim.adapters.PersonAdapter",
    "GROUP_MODEL": "accounts.models.Team",
    "GROUP_ADAPTER": "programs.people.scim.adapters.TeamAdapter",
    "USER_FILTER_PARSER": "programs.people.scim.filters.PersonFilter",
    "GROUP_FILTER_PARSER": "programs.people.scim.filters.TeamFilter",
    "GET_QUERYSET_POST_PROCESSOR_GETTER": "programs.people.scim.filters.prefetching",
    "GET_IS_AUTHENTICATED_PREDICATE": "programs.people.scim.auth.no_session_is_a_provisioner",
    "AUTH_CHECK_MIDDLEWARE": "programs.people.scim.auth.ProvisioningTokenAuth",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="scim"',
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Provisioning token",
            "description": "Authorization: Bearer <key>, a key an administrator creates.",
            "primary": True,
        }
    ],
}

# --- Session and account safety (issue 14, section 4) ---
# A session ends after this many minutes without a request, and this many hours after its
# sign-in whatever happens meanwhile (programs/identity/sessions/middleware.py). Defaults for an
# intranet of shared desks: an hour away from the desk, or a working day.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise environ.ImproperlyConfigured(
        "SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be whole numbers, 1 or more."
    )
# The browser's cookie dies no later than the session itself.
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
# Sign-in events (recent sign-ins) are deleted this many days after they happen, daily.
SIGN_IN_EVENT_RETENTION_DAYS = env.int("SIGN_IN_EVENT_RETENTION_DAYS", default=90)
# The most active personal API tokens one person may hold.
PERSONAL_TOKEN_LIMIT = env.int("PERSONAL_TOKEN_LIMIT", default=20)
