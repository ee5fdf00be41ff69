"""A person makes a personal API token from the account menu (Security, then API tokens),
sees it once, uses it with the API, and finds the sign-in and the token on "Recent sign-ins"."""

import re

import pytest
import requests
from django.core.management import call_command

from tests.e2e.header import account_link, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_token_is_made_shown_once_and_works(page, live_server, assert_accessible):
    call_command("seed_demo")
    log_in(page, "agent@demo.test")

    account_link(page, "Security").click()
    page.get_by_role("heading", name="Recent sign-ins").wait_for()
    page.get_by_role("navigation", name="Account security").get_by_role(
        "link", name="API tokens"
    ).click()
    page.get_by_role("heading", name="API tokens", exact=True).wait_for()
    assert_accessible(page, "api-tokens")
    page.get_by_label("Name").fill("Helpdesk script")
    page.get_by_role("button", name="Create token").click()

    page.get_by_role("heading", name="Your new token “Helpdesk script”").wait_for()
    key = page.get_by_label("The new token").input_value()
    assert re.fullmatch(r"aep_pat_[A-Za-z0-9]{40}", key)
    assert_accessible(page, "api-token-shown")
    answer = requests.get(
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    assert answer.json()["email"] == "agent@demo.test"

    page.reload()  # a GET: the key is not shown again
    page.get_by_role("row", name=re.compile("Helpdesk script")).wait_for()
    assert key not in page.content()

    account_link(page, "Security").click()
    page.get_by_role("heading", name="Recent sign-ins").wait_for()
    page.get_by_role("cell", name="API token created").wait_for()
    page.get_by_role("cell", name="Signed in").wait_for()
    assert_accessible(page, "recent-sign-ins")
