"""Signing in through the company's identity provider, in a browser: the portal's button, the
provider's own login and consent pages (a genuine OpenID Connect provider on loopback,
devtools/oidc_provider), and back to the portal as a new agent of the team the groups name."""

import re

import pytest

from accounts.models import Membership, User
from tests.factories import TeamFactory
from tests.support.oidc import PASSWORD, running_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def test_provider(tmp_path_factory):
    yield from running_provider(tmp_path_factory)


@pytest.fixture
def sso(test_provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = test_provider.provider_settings()
    settings.SSO_ALLOWED_DOMAINS = ["portal.test"]
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_MAP = {"cs-team-north": {"teams": {"Care North": "agent"}}}
    TeamFactory(name="Care North")


@pytest.fixture
def refused(page):
    """What the browser refused under the Content-Security-Policy, as Chromium reports it."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_a_new_agent_signs_in_through_the_identity_provider(
    page, sso, test_provider, refused, assert_accessible
):
    page.goto("/")
    assert "/accounts/login/" in page.url
    sign_in = page.get_by_role("button", name="Sign in with Test IdP")
    assert sign_in.is_visible()
    assert_accessible(page, "login-with-sso")

    sign_in.click()
    page.get_by_role("heading", name="Sign in to the test identity provider").wait_for()
    assert page.url.startswith(f"http://127.0.0.1:{test_provider.port}/login/")
    page.get_by_label("User name").fill("browser@portal.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile(r"^Allow .* to sign you in\?")).wait_for()
    page.get_by_role("button", name="Allow").click()

    page.get_by_role("heading", name="Hello, Bea").wait_for()
    assert_accessible(page, "home-after-sso")
    person = User.objects.get(email="browser@portal.test")
    assert Membership.objects.get(user=person).team.name == "Care North"
    assert refused == []


def test_someone_the_portal_does_not_create_sees_why(page, sso, assert_accessible, settings):
    settings.SSO_ALLOWED_DOMAINS = ["another.test"]
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.get_by_label("User name").fill("browser@portal.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()

    page.get_by_role("heading", name="You cannot sign in to the portal this way").wait_for()
    assert "does not create accounts for addresses at portal.test" in page.content()
    assert_accessible(page, "sso-refused")
    assert not User.objects.filter(email="browser@portal.test").exists()
