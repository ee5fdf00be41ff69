import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One state change of money, approval, role or registration.

    Append-only and hash-chained: each entry's ``hash`` is SHA-256 over the previous entry's
    hash and this entry's canonical content, so changing or removing any entry breaks every
    hash after it. The model refuses updates and deletes; on PostgreSQL a trigger refuses them
    too, along with TRUNCATE.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["subject_type", "subject_id", "seq"])]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="audit_seq_positive"),
            models.CheckConstraint(
                condition=Q(hash__regex=r"^[0-9a-f]{64}$") & Q(prev_hash__regex=r"^[0-9a-f]{64}$"),
                name="audit_hashes_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only and cannot be deleted.")

    @property
    def subject(self) -> str:
        return f"{self.subject_type}:{self.subject_id}"

    def canonical(self) -> str:
        """The entry's content as hashed: fixed keys, sorted, no whitespace."""
        return json.dumps(
            {
                "seq": self.seq,
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "on_behalf_of": self.on_behalf_of_id,
                "action": self.action,
                "subject": self.subject,
                "data": self.data,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()
