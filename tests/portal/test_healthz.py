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


def test_health_is_503_when_the_cache_is_unreachable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
