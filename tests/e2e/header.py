"""Signing in, and reaching the header's links as a person would at any width: on a phone the
navigation and the account links fold behind the Menu button, so open it first when the link is
folded away."""

import re

from tests.factories import TOTP_SECRET, totp_code

# Every account seed_demo makes has this password.
DEMO_PASSWORD = "demo-pass-2026"
# seed_demo enrols finance@ and admin@demo.test in two-factor authentication with this secret.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
CODE_STEP = "/accounts/2fa/authenticate/"


def log_in(page, email: str, *, password: str = DEMO_PASSWORD, totp_secret: str | None = None):
    """Through the login page, as a person does; back on the home page's greeting. When the
    portal asks for an authentication code (finance, administrators), answer it as their
    authenticator app would: the demo's secret for seed_demo's people, the builders' secret
    (tests/factories.py) for anyone else, unless ``totp_secret`` says otherwise."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if page.url.endswith(CODE_STEP):
        secret = totp_secret or (DEMO_TOTP_SECRET if email.endswith("@demo.test") else TOTP_SECRET)
        answer_code_step(page, secret)
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


def answer_code_step(page, secret: str) -> None:
    """Each code works once: signing in again within the same half minute takes the next
    period's code, which the portal accepts too (MFA_TOTP_TOLERANCE)."""
    for steps in (0, 1):
        page.get_by_label("Code").fill(totp_code(secret, steps=steps))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if not page.url.endswith(CODE_STEP):
            return
    raise AssertionError("the portal refused the authenticator app's codes")


def _unfold(page, target):
    toggle = page.locator("summary.site-menu__toggle")
    if not target.is_visible() and toggle.is_visible():
        toggle.click()
    return target


def nav_link(page, name: str):
    return _unfold(page, page.locator("nav.site-nav").get_by_role("link", name=name, exact=True))


def log_out(page) -> None:
    _unfold(page, page.get_by_role("button", name="Log out")).click()
    page.wait_for_load_state()


def account_link(page, name: str):
    """A link of the account menu (Password, Security)."""
    return _unfold(page, page.locator(".account-menu").get_by_role("link", name=name, exact=True))
