import itertools
import os
import shutil
import uuid
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts.models import RoleName, TeamRole
from programs.empowerment.models import Gesture
from programs.empowerment.services.gestures import log_gesture
from tests.factories import (
    TeamFactory,
    UserFactory,
    allocated_budget,
    gesture_input,
    grant,
    place,
)

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_sessionstart(session):
    """On CI the suite must run against the real services; refuse to run (never skip) without."""
    if not ON_CI:
        return
    engine = django_settings.DATABASES["default"]["ENGINE"]
    problems = []
    if "postgresql" not in engine:
        problems.append(f"DATABASE_URL must point at PostgreSQL on CI (engine is {engine})")
    if not django_settings.REDIS_URL:
        problems.append("REDIS_URL must be set on CI")
    else:
        import redis

        try:
            redis.Redis.from_url(django_settings.REDIS_URL, socket_timeout=3).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at {django_settings.REDIS_URL} is unreachable: {exc}")
    if shutil.which("redis-server") is None:
        problems.append("redis-server must be on PATH on CI (the Redis outage tests run their own)")
    if problems:
        raise pytest.UsageError("CI services missing: " + "; ".join(problems))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let Django empty the throwaway test database between transactional tests.

    The audit table refuses TRUNCATE unless the database says otherwise (see programs migration
    0002); this says so for the test database only.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" SET portal.allow_audit_truncate = on')
                cursor.execute("SET portal.allow_audit_truncate = on")


@pytest.fixture(autouse=True)
def _isolated_fast_settings(settings):
    # A cache namespace per test: rate-limit counters never leak between tests, and clearing
    # never flushes a Redis database that something else may be using.
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def patient_locks():
    """For the tests that queue dozens of threads of this one process behind one row.

    Waiting in that queue is the point of those tests, and in one process the threads also
    wait for each other's Python, so the end of the queue can wait longer than a web request
    may (settings.DATABASE_LOCK_TIMEOUT): there it would get the busy answer, which
    tests/portal/test_middleware.py proves. Here the waits run their course, as they did
    before requests had a limit.
    """
    from django.db import connections

    from portal.database import use_limits

    database = django_settings.DATABASES["default"]
    saved = database.get("OPTIONS", {}).get("options")
    if database["ENGINE"] == "django.db.backends.postgresql":
        use_limits(database, lock_timeout=120, statement_timeout=300)
    yield
    if saved is not None:
        database["OPTIONS"]["options"] = saved
    connections.close_all()


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_a_fresh_file(settings, tmp_path):
    """Each test keeps its audit checkpoints to itself, never in the developer's var/."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_EMAILS = []


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    """Queued tasks run at once in the test's own process; tests/support/celery.py starts a
    real worker for the tests that are about the worker.

    Each test also starts outside any task. Celery remembers "a task is running here, joining a
    result would block" in one flag for the whole process, which every inline task sets and then
    restores to what it found. When the threads of a concurrency test run inline tasks at the
    same moment, one of them can find the flag set by another and "restore" it to set after all
    tasks are done; a later test's `.apply().get()` then fails with "Never call result.get()
    within a task!". No task runs between tests, so clearing the flag here is always right.
    """
    from celery.result import _set_task_join_will_block

    from portal.celery import app

    _set_task_join_will_block(False)
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
    _set_task_join_will_block(False)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def team(db):
    return TeamFactory(name="Care North")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Care South")


@pytest.fixture
def agent(team):
    return place(UserFactory(name="Aisha Agent"), team, TeamRole.AGENT)


@pytest.fixture
def manager(team):
    return place(UserFactory(name="Maya Manager"), team, TeamRole.MANAGER)


@pytest.fixture
def second_manager(team):
    """Another manager of Care North, who may decide what was asked of the first."""
    return place(UserFactory(name="Zed Second"), team, TeamRole.MANAGER)


@pytest.fixture
def other_manager(other_team):
    return place(UserFactory(name="Marcus Other"), other_team, TeamRole.MANAGER)


@pytest.fixture
def finance_user(db):
    return grant(UserFactory(name="Fiona Finance"), RoleName.FINANCE)


@pytest.fixture
def organiser(db):
    return grant(UserFactory(name="Olu Organiser"), RoleName.ORGANISER)


@pytest.fixture
def admin_user(db):
    return grant(UserFactory(name="Sam Admin"), RoleName.ADMIN)


@pytest.fixture
def admin_client(client, admin_user):
    """The portal's administrator (not pytest-django's bare superuser) logged in."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def nobody(db):
    """A person with an account but no team and no role."""
    return UserFactory(name="Nia Nobody")


@pytest.fixture
def programme(db):
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory()


@pytest.fixture
def category(db):
    from tests.factories import CategoryFactory

    return CategoryFactory(name="Gift", slug="gift")


@pytest.fixture
def budget(team, programme):
    """Care North's budget for this period: £1,000."""
    from tests.factories import allocated_budget

    return allocated_budget(team, programme)


@pytest.fixture
def colleague(team):
    """Another agent in the agent's team."""
    return place(UserFactory(name="Cai Colleague"), team, TeamRole.AGENT)


@pytest.fixture
def outsider(other_team):
    """An agent in another team."""
    return place(UserFactory(name="Olive Outsider"), other_team, TeamRole.AGENT)


@pytest.fixture
def other_budget(other_team, programme):
    return allocated_budget(other_team, programme)


@pytest.fixture
def log(category, budget, other_budget):
    """Log a gesture through the service, each for a customer of its own unless told."""
    refs = (f"TCK-{n}" for n in itertools.count(2000))

    def log(agent, **overrides):
        overrides.setdefault("customer_ref", next(refs))
        return log_gesture(agent=agent, **gesture_input(**overrides)).gesture

    return log


@pytest.fixture
def logged(programme, category, budget) -> Callable[..., Gesture]:
    """Log a gesture through the service: ``logged(agent, cost="60.00")``."""

    def log(agent, **overrides) -> Gesture:
        return log_gesture(agent=agent, programme=programme, **gesture_input(**overrides)).gesture

    return log


@pytest.fixture
def copies() -> Callable[..., list[Gesture]]:
    """Many valid rows at once, cloned from a logged gesture, for query-count tests."""

    def clone(gesture: Gesture, count: int, **changes) -> list[Gesture]:
        fields = {
            f.attname: getattr(gesture, f.attname)
            for f in Gesture._meta.concrete_fields
            if not f.primary_key
        }
        return Gesture.objects.bulk_create(
            Gesture(**{**fields, "customer_ref": f"BULK-{n}", **changes}) for n in range(count)
        )

    return clone
