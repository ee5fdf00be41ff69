"""Bring the notifications written before 0009 up to what the bell now shows.

- "Approval needed" notifications whose request has since been decided, withdrawn, escalated or
  moved to someone else are marked resolved, as the approval services now do in the transaction
  that settles the request; otherwise every old request would stay "new" in the bell for good.
- Titles written before amounts were formatted ("Approval needed: Gift for T-1 (55.00)") get
  the currency sign and thousands separator ("(£55.00)").

A migration keeps its own small copy of the formatting rules: it must give the same answer
however the application's modules move later.
"""

import re
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
BARE_AMOUNT = re.compile(r"\((-?\d+(?:\.\d+)?)\)$")


def _money(amount: Decimal, currency: str) -> str:
    figure = f"{abs(amount.quantize(Decimal('0.01'))):,.2f}"
    sign = "-" if amount < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{currency} {figure}"


def _person(user) -> str:
    return (user.name or user.email) if user is not None else "someone"


def _currency(step) -> str:
    if step.gesture_id:
        return step.gesture.currency
    return step.budget_request.budget.programme.currency


def _resolution(step, notification) -> str:
    """Why the notification no longer asks anything of its recipient, or "" while it does."""
    if step.status in ("approved", "declined"):
        return f"Decided by {_person(step.decided_by)} — {step.status}"
    if step.status == "cancelled":
        return "Withdrawn"
    if step.status == "escalated":
        return "Escalated to finance"
    # Still waiting: for this recipient only if it has not moved on since. The key names the
    # level and assignee it was sent for: kind:model:pk:level:assignee:status:email.
    parts = notification.key.split(":")
    sent_at_level = parts[3] if len(parts) >= 7 else str(step.level)
    if sent_at_level != str(step.level):
        return "Sent to finance"
    if step.assignee_id and notification.recipient_id != step.assignee_id:
        return f"Reassigned to {_person(step.assignee)}"
    return ""


def forward(apps, schema_editor):
    Notification = apps.get_model("programs", "Notification")
    ApprovalRequest = apps.get_model("programs", "ApprovalRequest")
    asks = Notification.objects.filter(kind="approval_requested", subject_type="approvalrequest")
    steps = ApprovalRequest.objects.select_related(
        "decided_by", "assignee", "gesture", "budget_request__budget__programme"
    ).in_bulk(
        [int(i) for i in asks.values_list("subject_id", flat=True).distinct() if i.isdigit()]
    )
    now = timezone.now()
    for notification in asks.iterator():
        step = steps.get(int(notification.subject_id)) if notification.subject_id.isdigit() else None
        if step is None:
            continue
        changed = []
        if notification.resolved_at is None and (resolution := _resolution(step, notification)):
            notification.resolved_at, notification.resolution = now, resolution
            changed += ["resolved_at", "resolution"]
        if bare := BARE_AMOUNT.search(notification.title):
            formatted = _money(Decimal(bare.group(1)), _currency(step))
            notification.title = (notification.title[: bare.start()] + f"({formatted})")[:200]
            changed.append("title")
        if changed:
            notification.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_notifications_resolved")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
