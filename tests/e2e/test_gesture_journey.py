from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from portal.formatting import money
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.selectors.programmes import active_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _allowance_left(email: str, spent_here: str) -> str:
    """What the agent should see left, given what the demo data already spent this period."""
    programme = active_programme()
    agent = User.objects.get(email=email)
    summary = allowance_summary(programme=programme, agent_id=agent.pk, day=timezone.localdate())
    return money(summary.remaining - Decimal(spent_here), programme.currency)


def _log(page, *, customer_ref: str, cost: str) -> str:
    page.get_by_role("link", name="Log a gesture").first.click()
    page.get_by_role("heading", name="Log a gesture").wait_for()
    page.get_by_label("Customer reference").fill(customer_ref)
    page.get_by_label("Channel").select_option(label="Phone")
    page.get_by_label("Category").select_option(label="Gift")
    page.get_by_label("The customer’s situation").fill(
        "His wedding suit was lost in transit two days before the wedding."
    )
    page.get_by_label("What you did").fill("Sent a replacement by same-day courier.")
    page.get_by_label("Cost (GBP)").fill(cost)
    page.get_by_role("button", name="Log the gesture").click()
    page.get_by_role("heading", name="My gestures", exact=True).wait_for()
    return page.locator(".messages").inner_text()


def test_agent_logs_an_approved_and_a_waiting_gesture_and_sees_both_with_the_allowance_left(
    page, assert_accessible
):
    call_command("seed_demo")
    left_after_ten = _allowance_left("agent@demo.test", "10.00")
    left_after_both = _allowance_left("agent@demo.test", "70.00")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("agent@demo.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Hello, Aisha").wait_for()
    assert_accessible(page, "agent-home")

    message = _log(page, customer_ref="E2E-TEN", cost="10")
    assert f"Approved — £10.00 spent, {left_after_ten} of your allowance left." in message

    page.get_by_role("link", name="Log a gesture").first.click()
    page.get_by_role("heading", name="Log a gesture").wait_for()
    assert_accessible(page, "log-a-gesture")
    message = _log(page, customer_ref="E2E-SIXTY", cost="60")
    assert "Waiting for approval from your manager (over the £50.00 gesture limit)" in message
    assert f"{left_after_both} of your allowance left." in message

    ten = page.get_by_role("row").filter(has_text="E2E-TEN")
    sixty = page.get_by_role("row").filter(has_text="E2E-SIXTY")
    assert "Approved" in ten.inner_text() and "£10.00" in ten.inner_text()
    assert "Waiting for approval" in sixty.inner_text() and "£60.00" in sixty.inner_text()
    assert_accessible(page, "my-gestures")
    assert (
        f"{left_after_both} left to spend without asking" in page.locator(".allowance").inner_text()
    )
