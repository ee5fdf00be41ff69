"""A real task through a real worker: Redis on CI, the file-system broker by default."""

import logging
import uuid

import pytest
from django.conf import settings

from portal import heartbeat
from portal.tasks import record_worker_heartbeat
from tests.support.celery import private_broker, running_worker, wait_for


@pytest.fixture
def broker(tmp_path):
    with private_broker(tmp_path) as url:
        yield url


def test_the_broker_is_redis_on_ci_and_the_file_system_otherwise(broker):
    if settings.REDIS_URL:
        assert broker.startswith("redis://")
    else:
        assert broker == "filesystem://"


def test_heartbeat_task_runs_through_a_real_worker(broker):
    queue = f"test-{uuid.uuid4().hex}"
    with running_worker(queues=[queue]) as worker:
        record_worker_heartbeat.apply_async(queue=queue)
        assert wait_for(lambda: heartbeat.last()[0] is not None), "the worker never ran the task"
    seen_by = heartbeat.last()[1]
    assert seen_by != "eager" and seen_by in worker.hostname


def test_a_worker_on_a_queue_of_its_own_leaves_the_next_worker_on_the_default_queue(broker):
    with running_worker(queues=[f"test-{uuid.uuid4().hex}"]):
        pass

    with running_worker():
        record_worker_heartbeat.delay()
        assert wait_for(lambda: heartbeat.last()[0] is not None), "the default queue went unheard"


def test_a_worker_leaves_the_test_process_logging_as_it_found_it(broker, caplog):
    root = logging.getLogger()
    before = (root.level, list(root.handlers))

    with running_worker():
        pass

    assert (root.level, root.handlers) == before
    logging.getLogger("portal").warning("still heard after the worker")
    assert "still heard after the worker" in caplog.messages
