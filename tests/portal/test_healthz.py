import time

import pytest
from django.conf import settings
from django.urls import reverse

from portal import heartbeat
from tests.factories import allocated_budget
from tests.support.held_locks import audit_chain_held, budget_row_held
from tests.support.postgresql import only_on_postgresql


def test_health_reports_database_cache_and_no_worker_yet(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert body["worker"] == {"last_seen": None, "name": None}


def test_health_shows_the_last_worker_heartbeat(client, db):
    heartbeat.record(worker="celery@box")
    body = client.get(reverse("healthz")).json()
    assert body["worker"]["name"] == "celery@box"
    assert body["worker"]["last_seen"] is not None


@pytest.mark.parametrize(
    "backend", ["portal.cache.ResilientRedisCache", "django.core.cache.backends.redis.RedisCache"]
)
def test_health_is_degraded_with_the_reason_but_up_when_the_cache_is_unreachable(
    client, db, settings, backend
):
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS if "Resilient" in backend else {},
        }
    }
    response = client.get(reverse("healthz"))
    # Up (200): without the cache every page still works; a load balancer must keep sending.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["cache"].startswith("unavailable: ")
    assert "127.0.0.1:1" in body["cache"] and "refused" in body["cache"]


@pytest.mark.django_db(transaction=True)
@only_on_postgresql("row and advisory locks are PostgreSQL's")
def test_health_answers_at_once_while_a_budget_row_and_the_audit_chain_are_held(
    client, team, programme
):
    budget = allocated_budget(team, programme)
    with budget_row_held(budget), audit_chain_held():
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # Well inside the lock timeout: the check never queues behind a change in progress.
    assert elapsed < min(1.0, settings.DATABASE_LOCK_TIMEOUT)
