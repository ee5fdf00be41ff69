"""Background jobs of appreciation days: thin wrappers that call the services. Each is idempotent.

The task names are those the beat schedule and queued messages already carry."""

from celery import shared_task
from django.conf import settings

from programs.days.services import reminders
from programs.days.services.registrations import anonymise_registrations


@shared_task(name="programs.tasks.anonymise_old_registrations", ignore_result=True)
def anonymise_old_registrations() -> dict:
    """Daily: erase customers' details for days past the retention period. Idempotent."""
    report = anonymise_registrations(older_than_days=settings.REGISTRATION_RETENTION_DAYS)
    return {"days": report.days, "registrations": report.registrations}


@shared_task(name="programs.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return reminders.send_reminders()
