"""Background jobs of people management: thin wrappers that call the services."""

import logging

from celery import shared_task

from programs.people import imports

log = logging.getLogger(__name__)


@shared_task(name="programs.people.tasks.apply_import", ignore_result=True)
def apply_import(run_id: int) -> None:
    imports.apply_import(run_id)


def enqueue_import(run_id: int) -> None:
    """Hand a queued import to the worker once its transaction commits. If the broker cannot
    be reached the run goes back to its preview, saying so, to be applied again later."""
    try:
        apply_import.delay(run_id)
    except Exception:
        log.exception("Could not queue import run %s", run_id)
        imports.release_import(
            run_id, problem="The background worker could not be reached; apply it again soon."
        )
