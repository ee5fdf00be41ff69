"""Sign-in events: each time someone signs in, fails to, signs out, or changes what lets them
in (a second factor, a personal API token). People see their own at "Recent sign-ins".

Never a password, a code or a key: only what happened, when, from where (client address and
browser) and how. A failure for an address that is no one's is kept without a person, with the
address as entered (lower-cased), so an administrator can see a password-spraying run.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# Enough of a User-Agent to tell browsers apart; some send kilobytes.
USER_AGENT_LENGTH = 200
EMAIL_LENGTH = 254


class EventKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    RATE_LIMITED = "rate_limited", "Sign-in refused: too many failed attempts"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Logged out everywhere"
    SESSION_EXPIRED = "session_expired", "Session expired"
    MFA_ADDED = "mfa_added", "Two-factor method added"
    MFA_REMOVED = "mfa_removed", "Two-factor method removed"
    MFA_RESET = "mfa_reset", "Two-factor method renewed"
    MFA_FAILED = "mfa_failed", "Two-factor code refused"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


# The kinds that may name nobody: a failure for an address no person has.
WITHOUT_PERSON = (EventKind.SIGN_IN_FAILED, EventKind.RATE_LIMITED)


class Method(models.TextChoices):
    PASSWORD = "password", "Password"
    SSO = "sso", "Single sign-on"
    TOKEN_API = "token_api", "API token request"
    PERSONAL_TOKEN = "personal_token", "Personal API token"
    MFA = "mfa", "Two-factor"
    SESSION = "session", "Browser session"


class SignInEventQuerySet(models.QuerySet["SignInEvent"]):
    def of(self, person) -> "SignInEventQuerySet":
        return self.filter(person=person).order_by("-at", "-pk")


class SignInEvent(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sign_in_events",
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    method = models.CharField(max_length=32, choices=Method.choices)
    # What else says how: the provider's id, the kind of second factor, the token's name, why a
    # session ended ("idle", "max_age").
    detail = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_LENGTH, blank=True)
    # Only for a failure that names no person: the address as entered, lower-cased.
    email = models.CharField(max_length=EMAIL_LENGTH, blank=True)

    objects = SignInEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-at", "-id"], name="signin_event_person_at"),
            # Retention deletes by age.
            models.Index(fields=["at"], name="signin_event_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="signin_event_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=Method.values), name="signin_event_method_known"
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | (models.Q(kind__in=WITHOUT_PERSON) & ~models.Q(email="")),
                name="signin_event_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} ({self.get_method_display()}) at {self.at:%Y-%m-%d %H:%M}"
        )
