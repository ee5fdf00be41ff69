import pytest
from django.core.management import call_command

from tests.e2e.header import log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_logs_in_and_sees_their_team(page, assert_accessible):
    call_command("seed_demo")
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page, "login")

    page.get_by_label("Email").fill("manager@demo.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Hello, Maya").wait_for()
    assert page.get_by_role("heading", name="Teams you manage").is_visible()
    assert page.get_by_text("Aisha Khan").is_visible()
    assert page.get_by_role("link", name="Admin").count() == 0
    assert_accessible(page, "manager-home")

    log_out(page)
    page.get_by_role("heading", name="Log in").wait_for()


def test_wrong_password_shows_an_error_and_keeps_the_email(page, assert_accessible):
    call_command("seed_demo")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("agent@demo.test")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("alert").wait_for()
    assert_accessible(page, "login-error")
    assert "not correct" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Email").input_value() == "agent@demo.test"
