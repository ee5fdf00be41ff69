"""Browser journeys: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is downloaded: the path comes from CHROMIUM_PATH or the system's chromium.
"""

import os
import shutil

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for
# their data are still ordinary blocking calls, which Django must be told to allow.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        if os.environ.get("CI", "").lower() == "true":
            raise RuntimeError("Chromium is required on CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed on this machine")
    return path


@pytest.fixture(scope="session")
def browser(live_server):
    """Depends on the live server so it closes first, ending keep-alive connections."""
    from playwright.sync_api import sync_playwright

    # Django keys its connections by context, and Playwright's sync API switches context: a
    # connection opened on one side of that switch is invisible from the other and would
    # outlive the test database. Close them at each switch.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
