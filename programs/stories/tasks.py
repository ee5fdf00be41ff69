"""Background jobs of the story wall: thin wrappers that call the services. Each is idempotent."""

from celery import shared_task

from programs.stories import services


@shared_task(name="programs.tasks.send_thanks_digest", ignore_result=True)
def send_thanks_digest() -> int:
    return services.send_thanks_digest()
