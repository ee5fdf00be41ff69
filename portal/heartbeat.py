"""Worker heartbeat: a periodic task records when a worker last ran; /healthz reads it."""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

HEARTBEAT_KEY = "portal:worker-heartbeat"


def record(*, worker: str) -> dict:
    beat = {"at": timezone.now().isoformat(), "worker": worker}
    cache.set(HEARTBEAT_KEY, beat, timeout=24 * 3600)
    return beat


def last() -> tuple[datetime | None, str | None]:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:  # the health page must answer even when the cache is down
        return None, None
    if not beat:
        return None, None
    return parse_datetime(beat["at"]), beat["worker"]
