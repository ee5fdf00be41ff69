"""A request that meets a lock held too long answers "busy, try again" (503 with Retry-After),
promptly and with nothing half-written; never a hang, never a 500.

A second thread, with its own PostgreSQL connection, holds the lock for the length of the
request: a budget row (``SELECT ... FOR UPDATE``) or the audit chain's advisory lock.
"""

import re
import time

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from portal.database import use_limits
from portal.errors import RETRY_AFTER_SECONDS
from programs.audit.models import AuditEntry
from programs.empowerment.models import ApprovalRequest, Budget, Gesture
from programs.empowerment.services.gestures import log_gesture
from tests.factories import gesture_input
from tests.support.gesture_entry import body, form_data
from tests.support.held_locks import audit_chain_held, budget_row_held
from tests.support.postgresql import only_on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    only_on_postgresql("lock and statement timeouts are PostgreSQL's"),
    pytest.mark.usefixtures("category"),
]

LOCK_TIMEOUT = 1  # seconds, for these tests; the configured default is a few seconds
PROMPTLY = LOCK_TIMEOUT + 3  # the limit, plus rendering on a busy test machine


@pytest.fixture
def limits():
    """Reopen this test's connection with other limits; the configured ones come back after."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("options")

    def use(*, lock: float, statement: float) -> None:
        use_limits(connection.settings_dict, lock_timeout=lock, statement_timeout=statement)
        connection.close()

    use(lock=LOCK_TIMEOUT, statement=30)
    yield use
    options["options"] = saved
    connection.close()


@pytest.fixture
def step(agent, manager, budget, programme):
    gesture = log_gesture(agent=agent, programme=programme, **gesture_input(cost="60.00")).gesture
    return ApprovalRequest.objects.get(gesture=gesture)


def timed(request) -> tuple:
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def assert_busy_page(response, elapsed: float) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert elapsed < PROMPTLY
    page = response.content.decode()
    assert "The portal is busy" in page and "Nothing was changed" in page
    assert 'class="site-header"' in page  # the base layout
    assert not re.search(r"<style|\sstyle=", page)


def books(budget: Budget) -> tuple:
    """The budget's money and the length of the audit trail, as the database has them."""
    budget.refresh_from_db()
    return budget.amount, budget.committed, budget.spent, AuditEntry.objects.count()


def test_logging_a_gesture_while_the_budget_row_is_held_gets_the_busy_page(
    client, agent, budget, limits
):
    client.force_login(agent)
    before = books(budget)
    with budget_row_held(budget):
        response, elapsed = timed(
            lambda: client.post(reverse("empowerment:log-gesture"), form_data())
        )

    assert_busy_page(response, elapsed)
    assert not Gesture.objects.exists()
    assert books(budget) == before


def test_approving_while_the_audit_chain_is_held_gets_the_busy_page(
    client, manager, step, budget, limits
):
    client.force_login(manager)
    before = books(budget)
    with audit_chain_held():
        response, elapsed = timed(
            lambda: client.post(reverse("empowerment:approval-approve", args=[step.pk]))
        )

    assert_busy_page(response, elapsed)
    step.refresh_from_db()
    assert step.status == "pending" and step.gesture.status == "pending"
    assert books(budget) == before


def test_an_inline_approval_that_meets_a_held_lock_shows_the_message_in_the_page(
    client, manager, step, budget, limits
):
    client.force_login(manager)
    inbox = "http://testserver" + reverse("empowerment:approvals")
    with budget_row_held(budget):
        response, elapsed = timed(
            lambda: client.post(
                reverse("empowerment:approval-approve", args=[step.pk]),
                headers={"HX-Request": "true", "HX-Current-URL": inbox},
            )
        )

    assert response.status_code == 503 and elapsed < PROMPTLY
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # htmx swaps the message into the page's main area, with a way back to the inbox.
    assert response["HX-Retarget"] == "#main" and response["HX-Reswap"] == "innerHTML"
    fragment = response.content.decode()
    assert "The portal is busy" in fragment and "<html" not in fragment
    assert 'href="/approvals/"' in fragment
    step.refresh_from_db()
    assert step.status == "pending"


def test_the_api_answers_503_json_with_retry_after_when_a_lock_is_held(
    manager, step, budget, limits
):
    api = APIClient()
    api.force_authenticate(manager)
    before = books(budget)
    with budget_row_held(budget):
        response, elapsed = timed(
            lambda: api.post(reverse("api:approval-approve", args=[step.pk]), {}, format="json")
        )

    assert response.status_code == 503 and elapsed < PROMPTLY
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": response.json()["detail"]}
    assert "try again" in response.json()["detail"]
    step.refresh_from_db()
    assert step.status == "pending"
    assert books(budget) == before


def test_a_statement_that_runs_too_long_answers_503_too(agent, budget, limits):
    """With no lock timeout, the statement timeout ends the wait (SQLSTATE 57014)."""
    limits(lock=0, statement=LOCK_TIMEOUT)
    api = APIClient()
    api.force_authenticate(agent)
    before = books(budget)
    with budget_row_held(budget):
        response, elapsed = timed(lambda: api.post(reverse("api:gestures"), body(), format="json"))

    assert response.status_code == 503 and elapsed < PROMPTLY
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "try again" in response.json()["detail"]
    assert not Gesture.objects.exists()
    assert books(budget) == before


def test_the_same_request_succeeds_once_the_lock_is_let_go(client, agent, budget, limits):
    client.force_login(agent)
    with budget_row_held(budget):
        busy = client.post(reverse("empowerment:log-gesture"), form_data())
    again = client.post(reverse("empowerment:log-gesture"), form_data())

    assert busy.status_code == 503
    assert again.status_code == 302
    assert Gesture.objects.count() == 1
