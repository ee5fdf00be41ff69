"""Real Celery workers for tests: Redis on CI, the file-system broker elsewhere."""

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging

from portal.celery import app


@contextlib.contextmanager
def private_broker(folder: Path) -> Iterator[str]:
    """The configured broker, with a private queue folder when it is the file system."""
    saved = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    if app.conf.broker_url.startswith("filesystem"):
        (folder / "queue").mkdir(parents=True, exist_ok=True)
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
    _reset_connections()
    try:
        yield app.conf.broker_url
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        _reset_connections()


@contextlib.contextmanager
def broker_at(url: str, *, transport_options: dict | None = None) -> Iterator[None]:
    """Publish for real, to another broker (a closed port plays a broker that is down)."""
    saved = app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.task_always_eager = url, False
    if transport_options is not None:
        app.conf.broker_transport_options = transport_options
    _reset_connections()
    try:
        yield
    finally:
        (
            app.conf.broker_url,
            app.conf.task_always_eager,
            app.conf.broker_transport_options,
        ) = saved
        _reset_connections()


@contextlib.contextmanager
def running_worker(*, queues: list[str] | None = None) -> Iterator:
    """A real worker in a thread of this process, consuming from the broker.

    Celery's embedded worker sets itself up as if it owned the process, and nothing undoes it
    when it stops: the app keeps the worker's choice of queues (the next worker would consume
    only from this one's private queue and never see a task on the default one), and the root
    logger is handed to the worker's own handlers at the worker's level (pytest's capture and
    live-log handlers are dropped, INFO and WARNING records vanish for every later test). The
    first worker of a process also runs django.setup() again, which applies settings.LOGGING
    afresh. Here the queues are put back, logging is left to pytest, and the worker's
    environment variables go with it.
    """
    queue_selection = app.amqp.queues._consume_from  # None: the default queues
    if queue_selection is not None:
        queue_selection = dict(queue_selection)
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    # With a receiver connected, Celery leaves the logging configuration alone; the worker's
    # records reach pytest's handlers, so a failing test shows them.
    setup_logging.connect(_leave_logging_to_pytest)
    try:
        with (
            mock.patch.dict(os.environ),
            start_worker(
                app,
                pool="solo",
                concurrency=1,
                perform_ping_check=False,
                queues=queues,
                shutdown_timeout=10,
            ) as worker,
        ):
            yield worker
    finally:
        setup_logging.disconnect(_leave_logging_to_pytest)
        root.handlers[:] = root_handlers
        root.setLevel(root_level)
        logging.captureWarnings(False)  # the worker turned it on; pytest collects warnings
        app.amqp.queues._consume_from = queue_selection
        app.conf.task_always_eager = eager


def _leave_logging_to_pytest(**kwargs) -> None:
    """Receiver of Celery's setup_logging signal: configure nothing."""


def wait_for(condition: Callable[[], bool], *, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _reset_connections() -> None:
    # Celery caches its connection and producer pools on first use; forget them (without
    # closing: a worker thread may still hold the old ones) so the next publish uses the
    # broker configured now.
    app._pool = None
    app.amqp._producer_pool = None
