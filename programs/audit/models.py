import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from programs.audit import keys

GENESIS_HASH = "0" * 64
# The key id of entries written before the chain was keyed.
UNKEYED = ""


class AuditEntry(models.Model):
    """One state change of money, approval, role or registration.

    Append-only and hash-chained. An entry's ``hash`` is

        HMAC-SHA256(key[key_id], prev_hash + canonical())

    with the audit key named by ``key_id`` (from the environment, never stored here; see
    ``programs.audit.keys``). ``canonical()`` is the JSON object of ``action``, ``actor`` (id or
    null), ``at`` (ISO 8601, as stored), ``data``, ``key_id``, ``on_behalf_of`` (id or null),
    ``seq`` and ``subject`` (``"type:id"``), keys sorted, no whitespace, UTF-8 unescaped. Changing
    or removing an entry breaks every hash after it, and without the key nobody can recompute
    them.

    Entries written before the chain was keyed have ``key_id = ""``: their hash is plain
    SHA-256 over ``prev_hash + canonical()`` without the ``key_id`` member, exactly as it was
    computed then (the append-only trigger forbids rewriting them, and rightly). They are checked
    as before and reported as unkeyed; an unkeyed entry *after* a keyed one is refused as a
    downgrade, and the first checkpoint written after the upgrade anchors them with the key.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too, along
    with TRUNCATE.
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
    key_id = models.CharField(
        max_length=16,
        blank=True,
        default=UNKEYED,
        help_text="The id of the audit key that signed this entry; empty before keying.",
    )

    class Meta:
        db_table = "programs_auditentry"
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["subject_type", "subject_id", "seq"])]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=1), name="audit_seq_positive"),
            models.CheckConstraint(
                condition=Q(hash__regex=r"^[0-9a-f]{64}$") & Q(prev_hash__regex=r"^[0-9a-f]{64}$"),
                name="audit_hashes_hex",
            ),
            models.CheckConstraint(
                condition=Q(key_id__regex=r"^[A-Za-z0-9_.-]{0,16}$"), name="audit_key_id_format"
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

    @property
    def keyed(self) -> bool:
        return self.key_id != UNKEYED

    def canonical(self) -> str:
        """The entry's content as hashed: fixed keys, sorted, no whitespace."""
        content = {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "on_behalf_of": self.on_behalf_of_id,
            "action": self.action,
            "subject": self.subject,
            "data": self.data,
        }
        if self.keyed:
            content["key_id"] = self.key_id
        return json.dumps(
            content,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )

    def compute_hash(self) -> str:
        """The hash this entry should have; raises ``UnknownAuditKey`` without its key."""
        message = self.prev_hash + self.canonical()
        if not self.keyed:
            return hashlib.sha256(message.encode()).hexdigest()
        return keys.sign(self.key_id, message)
