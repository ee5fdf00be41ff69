import pytest
from django.urls import reverse

from portal import heartbeat


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
