"""What people management keeps besides the people themselves: invitations by e-mail, CSV import
runs, and the bearer tokens an identity provider uses for SCIM provisioning.

Secrets (an invitation's link, a provisioning key) are stored only as their SHA-256: the
database never holds anything that lets someone in.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import RoleName, TeamRole
from portal.validators import single_line


def new_secret() -> str:
    """A random URL-safe secret (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. Secrets are random, so a plain SHA-256 is enough."""
    return hashlib.sha256(secret.encode()).hexdigest()


class PersonInvitationQuerySet(models.QuerySet["PersonInvitation"]):
    def pending(self) -> "PersonInvitationQuerySet":
        """Neither accepted nor revoked (it may have expired: see ``usable``)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def usable(self, *, now=None) -> "PersonInvitationQuerySet":
        return self.pending().filter(expires_at__gt=now or timezone.now())


class PersonInvitation(models.Model):
    """An e-mail invitation to join the portal as staff, with the team and roles it gives (named
    apart from the customers' invitations to appreciation days, ``programs.days``).

    Its link works once and until ``expires_at``; at most one invitation per address is pending
    at a time (inviting again revokes the older one).
    """

    email = models.EmailField("e-mail address", max_length=254)
    name = models.CharField(max_length=150, validators=[single_line])
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_role = models.CharField(max_length=16, choices=TeamRole.choices, blank=True)
    # Organisation roles to grant on acceptance, as a list of RoleName values.
    roles = models.JSONField(default=list, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who accepted it.",
    )

    objects = PersonInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The people capability (HR): held through the "People managers" group, see
        # programs/people/access.py. It sits here because Django permissions need a model.
        permissions = [("manage_people", "Can manage people, invitations and imports")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="personinvitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(team__isnull=True, team_role="")
                | models.Q(team__isnull=False, team_role__in=TeamRole.values),
                name="personinvitation_team_has_role",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="personinvitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def role_labels(self) -> list[str]:
        return [RoleName(role).label for role in self.roles if role in RoleName.values]


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    QUEUED = "queued", "Queued"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"


class LineOutcome(models.TextChoices):
    CREATE = "create", "Will be created"
    CHANGE = "change", "Will be changed"
    UNCHANGED = "unchanged", "Nothing to change"
    REFUSED = "refused", "Refused"


class ImportRun(models.Model):
    """One CSV import: the preview of every line, then (when applied) what was done.

    ``lines`` holds one dict per CSV line: ``line`` (its number in the file), ``email``,
    ``name``, ``team``, ``role``, ``outcome`` (a LineOutcome) and ``reasons`` (why it is refused,
    or what changes); once applied, also ``result`` (a LineOutcome: what was done) and
    ``problem`` (why a line was refused when it came to it).
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    lines = models.JSONField(default=list)
    to_create = models.PositiveIntegerField(default=0)
    to_change = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # While applying: how many lines are done, of how many to do.
    done = models.PositiveIntegerField(default=0)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="importrun_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def to_do(self) -> int:
        return self.to_create + self.to_change

    @property
    def percent_done(self) -> int:
        return 100 if not self.to_do else min(100, round(100 * self.done / self.to_do))


class ProvisioningTokenQuerySet(models.QuerySet["ProvisioningToken"]):
    def live(self) -> "ProvisioningTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ProvisioningToken(models.Model):
    """A bearer key an identity provider (Entra ID, Okta) uses for SCIM at /scim/v2/."""

    name = models.CharField(max_length=100, validators=[single_line])
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, to tell tokens apart on the admin page.
    prefix = models.CharField(max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ProvisioningTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
