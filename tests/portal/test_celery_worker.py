"""A real task through a real worker: Redis on CI, the file-system broker by default."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal import heartbeat
from portal.celery import app
from portal.tasks import record_worker_heartbeat


@pytest.fixture
def broker(tmp_path):
    """The configured broker; a private queue folder when it is the file system."""
    saved = dict(app.conf.broker_transport_options or {})
    if app.conf.broker_url.startswith("filesystem"):
        folder = str(tmp_path / "queue")
        (tmp_path / "queue").mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        }
    yield app.conf.broker_url
    app.conf.broker_transport_options = saved


def test_the_broker_is_redis_on_ci_and_the_file_system_otherwise(broker):
    if settings.REDIS_URL:
        assert broker.startswith("redis://")
    else:
        assert broker == "filesystem://"


def test_heartbeat_task_runs_through_a_real_worker(broker):
    queue = f"test-{uuid.uuid4().hex}"
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        queues=[queue],
        shutdown_timeout=10,
    ) as worker:
        record_worker_heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 30
        seen_at, seen_by = heartbeat.last()
        while seen_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
            seen_at, seen_by = heartbeat.last()
    assert seen_at is not None, "the worker never ran the task"
    assert seen_by != "eager" and seen_by in worker.hostname
