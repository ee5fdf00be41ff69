"""Two-factor authentication in a real browser: a finance person who has not enrolled signs in,
is sent to enrolment, reads the secret beside the QR code, types the code their app would show,
keeps the recovery codes and reaches the finance pages; next time the portal asks for a code."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import RoleName
from tests.e2e.header import CODE_STEP, answer_code_step, log_out, nav_link
from tests.factories import PASSWORD, UserFactory, grant, recovery_codes, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_enrols_with_the_secret_from_the_page_and_reaches_budgets(page, assert_accessible):
    person = grant(
        UserFactory(email="nia@example.test", name="Nia New"), RoleName.FINANCE, two_factor=False
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    expect(page.get_by_text("Your role requires two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page, "two-factor-enrolment")
    # Whatever the person tries, they are back here until they enrol.
    page.goto("/budgets/")
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()

    secret = page.get_by_label("Secret key").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    page.get_by_role("heading", name="Recovery codes").wait_for()
    shown = page.locator(".recovery-codes code").all_inner_texts()
    assert shown == recovery_codes(person)
    assert_accessible(page, "two-factor-recovery-codes")

    nav_link(page, "Budgets").click()
    page.get_by_role("heading", name=re.compile("Budgets")).first.wait_for()
    assert page.url.endswith("/budgets/")

    log_out(page)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url.endswith(CODE_STEP)
    assert_accessible(page, "two-factor-code-step")
    answer_code_step(page, secret)
    page.get_by_role("heading", name=re.compile(r"^Hello, Nia")).wait_for()
