"""Queueing the outbox: the worker's tasks that send notifications, and the hand-over to them.

:func:`enqueue` runs when the transaction that recorded the rows commits; if the broker is down
nothing is lost (the rows wait, and :func:`sweep_outbox` sends them). The tasks live here, with
the hand-over, so that recording a notification needs no import of the other background jobs.
"""

import logging

from celery import shared_task

from programs.notifications import delivery

log = logging.getLogger(__name__)


# The task names are the ones queued messages and the beat schedule already carry.
@shared_task(
    name="programs.tasks.deliver_notification",
    ignore_result=True,
    autoretry_for=(delivery.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=delivery.MAX_ATTEMPTS,
)
def deliver_notification(notification_id: int) -> bool:
    return delivery.deliver(notification_id)


@shared_task(name="programs.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Periodic: send notifications that have waited too long (broker or worker was down)."""
    return delivery.sweep()


def enqueue(notification_ids: list[int]) -> None:
    """Hand rows to the worker. A broker outage is logged, not raised: the sweeper catches up.

    The first failure ends the attempt: every further publish would hold the request for the
    broker's timeouts again, and the rows wait safely in the outbox either way.
    """
    for position, notification_id in enumerate(notification_ids):
        try:
            deliver_notification.delay(notification_id)
        except Exception:
            log.warning(
                "Could not queue notifications %s; the sweeper will send them.",
                ", ".join(map(str, notification_ids[position:])),
            )
            return
