import re

import pytest
from django.core.management import call_command

from programs.audit.models import AuditEntry
from programs.empowerment.models import ApprovalRequest, Gesture
from tests.e2e.header import log_in, log_out, nav_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_logs_60_the_manager_approves_it_in_two_clicks_and_finance_sees_it_in_the_audit(
    page, assert_accessible
):
    call_command("seed_demo")

    # The agent logs a £60 gesture: over the £50 limit, so it waits for the manager.
    log_in(page, "agent@demo.test")
    page.get_by_role("link", name="Log a gesture").first.click()
    page.get_by_label("Customer reference").fill("E2E-APPROVE")
    page.get_by_label("Channel").select_option(label="Phone")
    page.get_by_label("Category").select_option(label="Gift")
    page.get_by_label("The customer’s situation").fill(
        "Her flight was cancelled and she missed her sister's wedding rehearsal."
    )
    page.get_by_label("What you did").fill("Sent flowers to the rehearsal dinner with a note.")
    page.get_by_label("Cost (GBP)").fill("60")
    page.get_by_role("button", name="Log the gesture").click()
    assert "Waiting for approval from your manager" in page.locator(".messages").inner_text()
    log_out(page)

    # The manager: open Approvals (one click), Approve on that card (two).
    log_in(page, "manager@demo.test")
    page.get_by_role("link", name=re.compile(r"^Approvals")).click()
    card = page.locator("article.approval").filter(has_text="E2E-APPROVE")
    assert_accessible(page, "approvals-inbox")
    assert "£60.00" in card.inner_text()
    assert "Aisha Khan" in card.inner_text()
    card.get_by_role("button", name="Approve", exact=True).click()
    done = page.locator("article.approval--done").filter(has_text="E2E-APPROVE")
    done.wait_for()
    assert "Approved" in done.inner_text()
    assert page.locator(":focus").filter(has_text="E2E-APPROVE").count() == 1
    assert_accessible(page, "approvals-decided")
    gesture = Gesture.objects.get(customer_ref="E2E-APPROVE")
    assert gesture.status == "approved"
    log_out(page)

    # The agent sees it approved, and who approved it.
    log_in(page, "agent@demo.test")
    nav_link(page, "My gestures").click()
    row = page.get_by_role("row").filter(has_text="E2E-APPROVE")
    assert "Approved" in row.inner_text()
    row.get_by_role("link").first.click()
    steps = page.locator("ol.steps")
    assert "Maya Lindqvist" in steps.inner_text()
    assert_accessible(page, "gesture-detail")
    log_out(page)

    # Finance opens the audit trail: both steps, with their hashes, and an intact chain.
    log_in(page, "finance@demo.test")
    nav_link(page, "Audit").click()
    page.get_by_text("Filter entries").click()
    page.get_by_label("Subject").fill(f"gesture:{gesture.pk}")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 2
    logged = AuditEntry.objects.get(action="gesture.logged", subject_id=str(gesture.pk))
    step = ApprovalRequest.objects.get(gesture=gesture)
    approved = AuditEntry.objects.get(action="approval.approved", subject_id=str(step.pk))
    text = page.locator("table.audit").inner_text()
    assert "approval.approved" in text and "gesture.logged" in text
    assert logged.hash[:12] in text and approved.hash[:12] in text
    assert f"#{logged.seq}" in text and f"#{approved.seq}" in text
    page.get_by_role("button", name="Verify the chain").click()
    page.locator(".chain-check--ok").wait_for()
    assert "Intact." in page.locator("#chain-check").inner_text()
    assert_accessible(page, "audit-verified")
