"""Signing in, and reaching the header's links as a person would at any width: on a phone the
navigation and the account links fold behind the Menu button, so open it first when the link is
folded away."""

import re

# Every account seed_demo makes has this password.
DEMO_PASSWORD = "demo-pass-2026"


def log_in(page, email: str, *, password: str = DEMO_PASSWORD) -> None:
    """Through the login page, as a person does; back on the home page's greeting."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()


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
