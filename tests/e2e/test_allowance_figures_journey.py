"""The agent's allowance panel and the manager's team page show the same figures, to the penny,
with what the manager approved above the allowance shown apart: on a desktop and on a phone."""

import pytest
from django.utils import timezone

from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.allowances import set_allowance
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from tests.factories import PASSWORD, gesture_input

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "Allowance": "£250.00",
    "Spent": "£285.45",
    "Waiting": "£100.00",
    "Left": "£0.00",
}


@pytest.fixture
def figures(agent, manager, programme, category, budget):
    """£250 allowance; £45.45 approved at once, £240 approved by the manager, £100 waiting."""
    set_allowance(
        programme=programme,
        agent=agent,
        day=timezone.localdate(),
        amount="250.00",
        reason="Covers the winter rush",
        actor=manager,
    )
    log_gesture(agent=agent, **gesture_input(cost="45.45", customer_ref="TCK-1"))
    big = log_gesture(agent=agent, **gesture_input(cost="240.00", customer_ref="TCK-2")).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=big, status="pending"),
        actor=manager,
        approve=True,
        comment="A lost wedding suit",
    )
    log_gesture(agent=agent, **gesture_input(cost="100.00", customer_ref="TCK-3"))


def _log_in(page, person) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Hello").wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_agent_and_manager_read_the_same_allowance_figures(
    browser, live_server, figures, agent, manager, team, width, assert_accessible
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _log_in(page, agent)
        page.goto("/gestures/")
        panel = page.locator(".allowance")
        mine = {
            label: panel.locator("dt", has_text=label).first.locator("xpath=../dd").inner_text()
            for label in [*EXPECTED, "Approved above your allowance"]
        }
        assert panel.get_by_text(
            "Your manager approved £35.45 more than your allowance"
        ).is_visible()
        assert_accessible(page, "my-gestures")

        context.clear_cookies()
        _log_in(page, manager)
        page.goto(f"/teams/{team.pk}/")
        row = page.locator("#agents").get_by_role("row").filter(has_text=agent.name)
        row.wait_for()
        theirs = {
            label: row.locator(f'td[data-label="{label}"]').inner_text()
            for label in [*EXPECTED, "Approved above allowance"]
        }
        for cell in row.locator("td").all():
            assert cell.is_visible()
        assert_accessible(page, "team")
    finally:
        context.close()

    assert {label: mine[label] for label in EXPECTED} == EXPECTED
    assert {label: theirs[label] for label in EXPECTED} == EXPECTED
    assert mine["Approved above your allowance"] == theirs["Approved above allowance"] == "£35.45"
