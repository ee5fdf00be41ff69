"""The Celery application. Configuration comes from Django settings in the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import celeryd_init

from portal.database import use_worker_limits

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The outbox keeps its tasks beside the hand-over to them (programs/notifications/outbox.py).
app.autodiscover_tasks(related_name="outbox")


@celeryd_init.connect
def use_worker_database_limits(**kwargs) -> None:
    """`celery worker` starts here, before its pool: every process it runs tasks in opens its
    connections with the worker's lock and statement timeouts, not the web's."""
    use_worker_limits()
