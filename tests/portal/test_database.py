"""The limits on waiting for locks and running statements that every connection carries."""

import threading

import pytest
from celery.signals import celeryd_init
from django.conf import settings
from django.db import connection, connections

from portal.celery import app
from portal.database import use_limits
from tests.support.postgresql import only_on_postgresql

pytestmark = [
    only_on_postgresql("the limits are PostgreSQL settings"),
]


def limits_of_a_new_connection() -> dict[str, int]:
    """lock_timeout and statement_timeout, in milliseconds, as a fresh connection has them."""
    seen: dict[str, int] = {}

    def ask():
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, setting::int FROM pg_settings "
                    "WHERE name IN ('lock_timeout', 'statement_timeout')"
                )
                seen.update(cursor.fetchall())
        finally:
            connections.close_all()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join(timeout=30)
    return seen


@pytest.mark.django_db(transaction=True)
def test_every_web_connection_carries_the_configured_limits():
    assert limits_of_a_new_connection() == {
        "lock_timeout": round(settings.DATABASE_LOCK_TIMEOUT * 1000),
        "statement_timeout": round(settings.DATABASE_STATEMENT_TIMEOUT * 1000),
    }


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_opens_its_connections_with_the_worker_limits():
    database = settings.DATABASES["default"]
    saved = database["OPTIONS"]["options"]
    try:
        # What `celery worker` sends as it starts, before its pool.
        celeryd_init.send(sender="celery@test", instance=None, conf=app.conf, options={})
        worker = limits_of_a_new_connection()
    finally:
        database["OPTIONS"]["options"] = saved
        connection.close()
    assert worker == {
        "lock_timeout": round(settings.WORKER_DATABASE_LOCK_TIMEOUT * 1000),
        "statement_timeout": round(settings.WORKER_DATABASE_STATEMENT_TIMEOUT * 1000),
    }
    assert worker != limits_of_a_new_connection(), "the web's limits are back"


def test_applying_limits_again_replaces_ours_and_keeps_options_from_the_url():
    database = {"OPTIONS": {"options": "-c search_path=portal"}}
    use_limits(database, lock_timeout=5, statement_timeout=30)
    use_limits(database, lock_timeout=0.25, statement_timeout=0)
    assert database["OPTIONS"]["options"] == (
        "-c lock_timeout=250 -c statement_timeout=0 -c search_path=portal"
    )
