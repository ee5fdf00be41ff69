"""The shared cache, and what happens when Redis is not there.

The cache holds only counters and hints that can be rebuilt: the sign-in rate limits (allauth),
the API and public-page throttles (DRF) and the worker's heartbeat. None of them is worth an
error page, so :class:`ResilientRedisCache` keeps answering when Redis cannot: it logs a warning
once and serves every call from a local-memory cache in this process until Redis answers again.
Rate limits and throttles stay in force meanwhile, counted per process instead of shared.

Short socket timeouts (``REDIS_CACHE_OPTIONS`` in the settings) bound what a dead or frozen Redis
can cost the request that discovers it; after that, calls skip Redis for ``RETRY_AFTER`` seconds
and the next call after that tries it again.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# The backend's own OPTIONS; everything else in OPTIONS goes to redis-py's connection pool.
RETRY_AFTER = "RETRY_AFTER"
FALLBACK_MAX_ENTRIES = "FALLBACK_MAX_ENTRIES"


@dataclass
class _Outage:
    """Whether one Redis location is down, shared by every thread of the process."""

    retry_after: float
    reason: str = ""
    since: float | None = None
    next_try: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def skipping(self) -> bool:
        return self.since is not None and time.monotonic() < self.next_try

    def begin(self, error: Exception, *, location: str) -> None:
        now = time.monotonic()
        with self.lock:
            first = self.since is None
            self.since = now if first else self.since
            self.reason = _describe(error)
            self.next_try = now + self.retry_after
        if first:
            log.warning(
                "Redis cache at %s is unreachable (%s): rate limits and throttles are counted "
                "in this process's memory until it answers again.",
                location,
                self.reason,
            )

    def end(self, *, location: str) -> None:
        if self.since is None:
            return
        with self.lock:
            since, self.since, self.reason = self.since, None, ""
        if since is not None:
            log.warning(
                "Redis cache at %s answers again after %.0f s.", location, time.monotonic() - since
            )


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str, retry_after: float) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage(retry_after=retry_after))


def _describe(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text[:200]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that falls back to local memory while Redis is unreachable."""

    def __init__(self, server, params: dict):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop(RETRY_AFTER, 5))
        fallback_entries = int(options.pop(FALLBACK_MAX_ENTRIES, 10_000))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)
        self._outage = _outage_for(self._location, retry_after)
        # One local store per Redis location, shared by the threads of this process (LocMemCache
        # keeps its data by name), with the same key prefix, version and default timeout. Big
        # enough that a spray of addresses cannot push the account being guessed out of it.
        self._fallback = LocMemCache(
            f"portal-fallback:{self._location}",
            {
                **{k: v for k, v in params.items() if k != "OPTIONS"},
                "OPTIONS": {"MAX_ENTRIES": fallback_entries},
            },
        )

    def problem(self) -> str | None:
        """Ask Redis itself (whatever the last call found): why it does not answer, or None."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._outage.begin(error, location=self._location)
            return self._outage.reason
        self._outage.end(location=self._location)
        return None

    def _either(self, method: str, *args, **kwargs):
        if self._outage.skipping():
            return getattr(self._fallback, method)(*args, **kwargs)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            self._outage.begin(error, location=self._location)
            return getattr(self._fallback, method)(*args, **kwargs)
        self._outage.end(location=self._location)
        return result

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    def clear(self):
        return self._either("clear")


def cache_problem(backend: BaseCache | None = None) -> str | None:
    """Why the shared cache does not work right now, or None when it does (for /healthz)."""
    backend = backend if backend is not None else caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.problem()
    try:
        backend.set("portal:healthz", "ok", timeout=10)
        if backend.get("portal:healthz") != "ok":
            return "a value written could not be read back"
    except Exception as error:  # any backend, any failure: report it, never raise
        return _describe(error)
    return None
