"""Background jobs of the identity context: thin wrappers that call the services."""

from celery import shared_task

from programs.identity.signins.services import delete_old_sign_in_events as _delete


@shared_task(name="programs.identity.tasks.delete_old_sign_in_events", ignore_result=True)
def delete_old_sign_in_events() -> int:
    """Daily: sign-in events older than SIGN_IN_EVENT_RETENTION_DAYS."""
    return _delete()
