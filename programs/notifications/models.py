import json
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

# A value JSON has no type for is stored as {TYPE_TAG: its type, "value": its text}.
TYPE_TAG = "__portal_type__"
_REVIVE = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "decimal": Decimal,
}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"
    # Told in the portal only (a thank-you): the bell shows it, no e-mail goes out.
    NOT_EMAILED = "not_emailed", "Shown in the portal only"


class ContextEncoder(DjangoJSONEncoder):
    """Keeps the type of times, dates and amounts in a notification's context.

    The e-mail is rendered later, by a worker, from what the outbox row holds: a due time
    stored as plain text would reach ``|date`` as a string and print nothing.
    """

    def default(self, o):
        # datetime before date: a datetime is a date too.
        for name, kind in (
            ("datetime", datetime),
            ("date", date),
            ("time", time),
            ("decimal", Decimal),
        ):
            if isinstance(o, kind):
                return {TYPE_TAG: name, "value": str(o) if kind is Decimal else o.isoformat()}
        return super().default(o)


class ContextDecoder(json.JSONDecoder):
    """Turns what :class:`ContextEncoder` tagged back into the value it was."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("object_hook", _revive)
        super().__init__(*args, **kwargs)


def _revive(obj: dict):
    if obj.keys() == {TYPE_TAG, "value"} and obj[TYPE_TAG] in _REVIVE:
        return _REVIVE[obj[TYPE_TAG]](obj["value"])
    return obj


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def new(self) -> "NotificationQuerySet":
        """What the bell counts: not read yet, and still true (not resolved since)."""
        return self.unread().filter(resolved_at__isnull=True)

    def about(self, subject: models.Model) -> "NotificationQuerySet":
        return self.filter(subject_type=subject._meta.model_name, subject_id=str(subject.pk))

    def undelivered(self) -> "NotificationQuerySet":
        return self.filter(email_status=DeliveryStatus.PENDING)


class Notification(models.Model):
    """The outbox: one message for one recipient about one event.

    Written in the same transaction as the change that causes it, then e-mailed by a background
    job; people with an account also see it in the portal (the bell). ``key`` names the event
    and recipient, so the same event can never be recorded, or sent, twice.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(max_length=254)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=500, blank=True)
    context = models.JSONField(default=dict, encoder=ContextEncoder, decoder=ContextDecoder)
    # Files sent with the e-mail, made when the notification is recorded (programs/*/notices.py):
    # [{"filename", "content", "mimetype"}], text only.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    email_status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when what the notification asked for was settled by someone or something else: the
    # request it announced was decided, withdrawn, escalated or moved to another approver.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(
        max_length=200, blank=True, help_text="What settled it, e.g. “Decided by … — approved”."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "programs_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
            # The bell's count, asked by every open page every NOTIFICATION_POLL_SECONDS.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notification_new_by_recipient",
            ),
            # Resolving what was said about a request, inside the transaction that decides it.
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status__in=DeliveryStatus.values),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(email_status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="")
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="notification_resolved_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.email}"
