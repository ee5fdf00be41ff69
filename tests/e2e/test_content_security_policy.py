"""The portal's pages under its Content-Security-Policy in a real browser: nothing refused, and
htmx, Swagger UI and the Django admin still work."""

import re

import pytest

from accounts.models import RoleName, TeamRole
from programs.empowerment.services.gestures import log_gesture
from tests.e2e.header import answer_code_step
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    CategoryFactory,
    ProgrammeFactory,
    TeamFactory,
    UserFactory,
    allocated_budget,
    appreciation_day,
    created_invitation,
    gesture_input,
    grant,
    place,
    totp_code,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def refused(page):
    """Everything the browser refused under the policies, as Chromium reports it in the console
    (a refused resource, or a policy header the browser cannot read)."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    return messages


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
    page.wait_for_load_state("networkidle")


def _log_in(page, email: str) -> None:
    _visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


@pytest.fixture
def waiting_gesture():
    team = TeamFactory(name="Care North")
    agent = place(UserFactory(name="Aisha Agent", email="agent@csp.test"), team, TeamRole.AGENT)
    place(UserFactory(name="Maya Manager", email="manager@csp.test"), team, TeamRole.MANAGER)
    CategoryFactory(name="Gift", slug="gift")
    allocated_budget(team, ProgrammeFactory())
    return log_gesture(agent=agent, **gesture_input(cost="60.00", customer_ref="CSP-1")).gesture


def test_the_browser_reports_what_the_policy_refuses(page, refused, waiting_gesture):
    """The control: an inline script is refused and reported, so an empty report means
    something."""
    _visit(page, "/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.head.append(script);
        }"""
    )
    assert page.evaluate("() => window.inlineRan") is None
    assert any("script-src" in message for message in refused)


def test_login_home_and_an_htmx_approval_run_with_nothing_refused(page, refused, waiting_gesture):
    _log_in(page, "manager@csp.test")
    _visit(page, "/")
    _visit(page, "/approvals/")
    card = page.locator("article.approval").filter(has_text="CSP-1")
    card.get_by_role("button", name="Approve", exact=True).click()
    page.locator("article.approval--done").filter(has_text="CSP-1").wait_for()
    waiting_gesture.refresh_from_db()
    assert waiting_gesture.status == "approved"
    # htmx swapped the card in place (no page load) and added no inline style of its own.
    assert page.url.endswith("/approvals/")
    assert page.locator("head style").count() == 0
    assert refused == []


def test_everyday_pages_load_with_nothing_refused(page, refused, waiting_gesture):
    _log_in(page, "agent@csp.test")
    for path in [
        "/gestures/new/",
        "/gestures/",
        f"/gestures/{waiting_gesture.pk}/",
        "/notifications/",
        "/days/",
        "/accounts/password/change/",
        "/accounts/email/",
    ]:
        _visit(page, path)
    assert refused == []


def test_the_public_registration_pages_run_with_nothing_refused(page, refused):
    organiser = grant(UserFactory(), RoleName.ORGANISER)
    invitation = created_invitation(appreciation_day(organiser), organiser)
    _visit(page, f"/invite/{invitation.token}/")
    page.get_by_label("Your name").fill("Grace Guest")
    page.get_by_label("Your e-mail address").fill("grace@customer.test")
    page.get_by_label(re.compile("^I agree")).check()
    page.get_by_role("button", name=re.compile("Register")).click()
    page.get_by_role("img", name=re.compile("QR code")).wait_for()
    page.wait_for_load_state("networkidle")
    assert refused == []


def test_the_api_docs_work_under_their_policy(page, refused, waiting_gesture):
    _log_in(page, "manager@csp.test")
    _visit(page, "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    # Open one operation and call it from the page, as a reader trying the API would.
    operation = page.locator(".opblock").filter(has_text="/api/v1/me/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody td.response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
    assert "manager@csp.test" in operation.locator(".live-responses-table").inner_text()
    assert refused == []


def test_the_django_admin_works_with_nothing_refused(page, refused, waiting_gesture):
    admin = grant(UserFactory(email="admin@csp.test"), RoleName.ADMIN)
    # The admin's login sends to the portal's, with its code step.
    _visit(page, "/admin/login/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    answer_code_step(page, TOTP_SECRET)
    page.get_by_role("heading", name="Site administration").wait_for()
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/empowerment/gesture/",
        "/admin/notifications/notification/",
        "/admin/empowerment/gesturecategory/add/",
        "/admin/empowerment/programme/",
    ]:
        _visit(page, path)
    # The admin's own scripts run: the slug fills itself in from the name.
    page.goto("/admin/empowerment/gesturecategory/add/")
    page.get_by_label("Name").press_sequentially("Flowers today")
    assert page.get_by_label("Slug").input_value() == "flowers-today"
    assert refused == []


def test_the_two_factor_pages_run_with_nothing_refused(page, refused):
    """The enrolment page's QR code is drawn in the page (no data: image), and the security key
    pages start allauth's WebAuthn script from a file: nothing inline for the policy to refuse."""
    person = grant(UserFactory(email="nia@csp.test"), RoleName.FINANCE, two_factor=False)
    _visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    secret = page.get_by_label("Secret key").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.get_by_role("heading", name="Recovery codes").wait_for()
    for path in ["/accounts/2fa/", "/accounts/2fa/webauthn/add/", "/accounts/2fa/webauthn/"]:
        _visit(page, path)
    # Where the browser can make a passkey, the script shows the button it drives.
    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_role("button", name="Add the key").wait_for()
    assert refused == []
