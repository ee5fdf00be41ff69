"""A manager opens Insights and, at a glance, sees which gestures delight customers and who in
their team has not used their empowerment lately."""

import pytest
from django.core.management import call_command

from tests.e2e.header import log_in, nav_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_sees_the_outcomes_chart_and_the_unused_empowerment_list(page, assert_accessible):
    call_command("seed_demo")
    log_in(page, "manager2@demo.test")
    nav_link(page, "Insights").click()
    page.get_by_role("heading", name="Insights", exact=True).wait_for()
    assert_accessible(page, "insights-manager")

    chart = page.get_by_role("img", name="Which gestures delight customers")
    chart.wait_for()
    unused = page.locator("#unused-table")
    row = unused.get_by_role("row", name="Priya Nair")
    assert "Never" in row.inner_text()
    assert "Aisha Khan" not in unused.inner_text()  # another manager's team

    outcomes = page.get_by_role("region", name="Which gestures delight customers")
    outcomes.get_by_text("The numbers behind the chart").click()
    page.locator("#outcomes-table").get_by_role("rowheader").first.wait_for()
    budgets = page.locator("#budgets-table")
    assert "Care South" in budgets.inner_text() and "Care North" not in budgets.inner_text()
    assert_accessible(page, "insights-manager-numbers")
