"""In the browser: an inline approval that meets a lock held too long says so in the page."""

import re

import pytest
from django.db import connection

from accounts.models import TeamRole
from portal.database import use_limits
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.gestures import log_gesture
from tests.factories import PASSWORD, UserFactory, allocated_budget, gesture_input, place
from tests.support.held_locks import budget_row_held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def one_second_lock_timeout():
    """The live server opens a connection per request, with the options of this moment."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("options")
    use_limits(connection.settings_dict, lock_timeout=1, statement_timeout=30)
    yield
    options["options"] = saved


def test_an_approval_that_meets_a_held_budget_row_shows_the_busy_message(
    page, assert_accessible, team, programme, category, one_second_lock_timeout
):
    budget = allocated_budget(team, programme)
    manager = place(UserFactory(name="Maya Manager"), team, TeamRole.MANAGER)
    agent = place(UserFactory(name="Aisha Agent"), team, TeamRole.AGENT)
    gesture = log_gesture(
        agent=agent, **gesture_input(cost="60.00", customer_ref="E2E-BUSY")
    ).gesture

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()
    page.goto("/approvals/")
    card = page.locator("article.approval").filter(has_text="E2E-BUSY")

    with budget_row_held(budget):
        card.get_by_role("button", name="Approve", exact=True).click()
        page.get_by_role("heading", name="The portal is busy").wait_for()

    main = page.locator("main").inner_text()
    assert "Nothing was changed" in main
    assert_accessible(page, "busy")
    page.get_by_role("link", name="Try again").click()
    page.locator("article.approval").filter(has_text="E2E-BUSY").wait_for()
    assert ApprovalRequest.objects.get(gesture=gesture).status == "pending"
