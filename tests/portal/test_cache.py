"""The shared cache keeps answering from process memory while its Redis is unreachable."""

import logging
import os
import signal
import time
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from portal.cache import ResilientRedisCache, cache_problem
from tests.support.redis import own_redis_server


@pytest.fixture
def server(tmp_path):
    with own_redis_server(tmp_path) as server:
        yield server


def _backend(server, settings, prefix: str = "", **options) -> ResilientRedisCache:
    return ResilientRedisCache(
        server.url(0),
        {
            "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex}",
            "OPTIONS": {**settings.REDIS_CACHE_OPTIONS, **options},
        },
    )


def test_values_live_in_redis_while_it_answers(server, settings):
    cache = _backend(server, settings)
    cache.set("greeting", "hello")

    assert server.keys() == 1
    assert cache.get("greeting") == "hello"
    assert cache.problem() is None


def test_while_redis_is_down_counters_carry_on_in_memory_with_one_warning(server, settings, caplog):
    cache = _backend(server, settings)
    server.stop()

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert cache.add("attempts", 1, timeout=60) is True
        assert cache.add("attempts", 1, timeout=60) is False
        assert cache.incr("attempts") == 2
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "attempts"]) == {"a": 1, "b": 2, "attempts": 2}
        cache.delete("a")
        assert not cache.has_key("a")

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0] and "Connection refused" in warnings[0]
    assert "Connection refused" in cache.problem()


def test_every_thread_of_the_process_shares_the_fallback(server, settings):
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = _backend(server, settings, prefix), _backend(server, settings, prefix)
    server.stop()

    first.set("count", 3)

    assert second.get("count") == 3


def test_once_redis_answers_again_the_cache_uses_it_again(server, settings, caplog):
    cache = _backend(server, settings, RETRY_AFTER=0.2)
    server.stop()
    cache.set("during", "outage")
    server.start()
    time.sleep(0.3)

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        cache.set("after", "outage")

    assert server.keys() == 1  # "after" reached Redis; "during" stayed in process memory
    assert cache.get("after") == "outage"
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_a_frozen_redis_costs_one_timeout_then_is_skipped(server, settings):
    cache = _backend(server, settings)
    cache.set("warm", 1)  # the connection is open before Redis freezes
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        cache.set("first", 1)
        first = time.monotonic() - started

        started = time.monotonic()
        for n in range(20):
            cache.add(f"later-{n}", n)
        later = time.monotonic() - started
    finally:
        os.kill(server.process.pid, signal.SIGCONT)

    assert first < settings.REDIS_CACHE_OPTIONS["socket_timeout"] + 1
    assert later < 0.5
    assert cache.get("later-7") == 7


def test_other_backends_are_checked_by_writing_and_reading(db):
    assert cache_problem(LocMemCache("health-check", {})) is None
