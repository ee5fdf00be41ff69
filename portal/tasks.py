from celery import shared_task

from portal import heartbeat


@shared_task(bind=True, name="portal.tasks.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat(self) -> dict:
    """Periodic: shows on the health endpoint that a worker (and beat) is alive."""
    return heartbeat.record(worker=self.request.hostname or "eager")
