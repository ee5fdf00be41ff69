"""A worker killed in the middle of sending: the message comes back and the e-mail goes once."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from programs.empowerment.services.gestures import log_gesture
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.outbox import deliver_notification
from tests.factories import gesture_input
from tests.support.celery import broker_at, wait_for

ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("category", "budget"),
    pytest.mark.skipif(
        not settings.REDIS_URL or "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="a worker in another process needs Redis and PostgreSQL (CI always has them)",
    ),
]


@pytest.fixture
def worker_process(tmp_path):
    queue = f"loss-{uuid.uuid4().hex}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
        ),
        "TEST_MAIL_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, queue, tmp_path
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _children(pid: int) -> list[int]:
    found = subprocess.run(["/usr/bin/pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def test_killing_the_worker_mid_send_redelivers_and_sends_once(worker_process, agent, manager):
    process, queue, mail_dir = worker_process
    hold = mail_dir / "hold"
    hold.touch()
    with broker_at("redis://127.0.0.1:1/0"):  # keep the commit's own delivery out of the way
        log_gesture(agent=agent, **gesture_input(cost="60.00"))
    notification = Notification.objects.get()

    with broker_at(settings.CELERY_BROKER_URL):
        deliver_notification.apply_async(args=[notification.pk], queue=queue)
    assert wait_for(lambda: any(mail_dir.glob("sending-*")), timeout=60), "never started sending"
    (sending,) = mail_dir.glob("sending-*")
    child = int(sending.name.split("-")[1])
    assert child in _children(process.pid)

    hold.unlink()  # the redelivered attempt may go straight through
    os.kill(child, signal.SIGKILL)

    def sent() -> bool:
        notification.refresh_from_db()
        return notification.email_status == DeliveryStatus.SENT

    assert wait_for(sent, timeout=60), "the message was not redelivered"
    messages = [p for p in mail_dir.iterdir() if p.suffix == ".log"]
    assert len(messages) == 1
    assert manager.email in messages[0].read_text()
    notification.refresh_from_db()
    assert notification.attempts == 1  # the killed attempt rolled back with its transaction
