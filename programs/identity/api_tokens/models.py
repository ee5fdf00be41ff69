"""Personal API tokens: a person's own keys for scripts and tools (``Authorization: Bearer``).

The key is shown once, when it is made; the database keeps only its SHA-256, so nothing stored
lets anyone in. Every key starts with :data:`KEY_PREFIX`, which says what it is (secret
scanners and people reading a log can tell it from a password), and the first characters after
it are kept as ``hint`` so a person can tell their tokens apart.
"""

import hashlib
import secrets
import string

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.validators import SINGLE_LINE_PATTERN, single_line

# "Appreciation & Empowerment Portal, personal token". Not secret: it only names the kind.
KEY_PREFIX = "aep_pat_"
# Letters and digits only, so a double click selects the whole key; 40 of them are 238 bits.
KEY_ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 40
HINT_LENGTH = 4


def new_key() -> str:
    return KEY_PREFIX + "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def hash_key(key: str) -> str:
    """The stored form of a key. Keys are random, so a plain SHA-256 is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


class PersonalTokenQuerySet(models.QuerySet["PersonalToken"]):
    def active(self) -> "PersonalTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class PersonalToken(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_tokens"
    )
    name = models.CharField(max_length=100, validators=[single_line])
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The prefix and the first characters of the key ("aep_pat_Xy3k"), to tell tokens apart.
    hint = models.CharField(max_length=len(KEY_PREFIX) + HINT_LENGTH, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PersonalTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Two active tokens of one person never share a name: the list must tell them apart.
            models.UniqueConstraint(
                "person",
                "name",
                condition=models.Q(revoked_at__isnull=True),
                name="personal_token_name_unique_active",
                violation_error_message="You already have an active token with this name.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="personal_token_named"),
            models.CheckConstraint(
                condition=~models.Q(name__regex=SINGLE_LINE_PATTERN),
                name="personal_token_name_one_line",
            ),
            models.CheckConstraint(
                condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$"),
                name="personal_token_hash_is_sha256",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="personal_token_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
