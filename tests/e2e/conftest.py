"""Browser journeys: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is downloaded: the path comes from CHROMIUM_PATH or the system's chromium.
"""

import os
import re
import shutil
from pathlib import Path

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


E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
# axe-core from the npm registry (version in VERSION, licence beside it), vendored so nothing is
# fetched at run time.
AXE_SOURCE = (E2E_DIR / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
# What a person meets: a serious or critical violation fails the test; minor and moderate ones
# are printed with the report of a failure but do not fail on their own.
FAILING_IMPACTS = {"serious", "critical"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> dict:
    """Every journey on the shared ``page`` runs at desktop width and on a 390 px phone."""
    return VIEWPORTS[request.param]


@pytest.fixture
def page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _violations_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(request):
    """``assert_accessible(page, "name")``: screenshot the page as it stands (kept in
    tests/e2e/artifacts/ as a test artefact) and run axe-core on it; any serious or critical
    violation fails, naming the rule and the elements. ``leaving_out=(selector, ...)`` keeps
    markup the portal does not write (Swagger UI's) out of the check, and only that.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
    not govern, so the policy under test stays exactly as production sends it."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def check(page, name: str, *, leaving_out: tuple[str, ...] = ()) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        shot = ARTIFACTS / f"{test_name}--{name}--{width}px.png"
        page.screenshot(path=str(shot), full_page=True)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE_SOURCE)
        results = page.evaluate(
            "exclude => axe.run({exclude: exclude.map(selector => [selector])},"
            " {resultTypes: ['violations'],"
            " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
            " 'best-practice']}})",
            list(leaving_out),
        )
        violations = results["violations"]
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, (
            f"axe found serious or critical violations on {name!r} at {width} px "
            f"(screenshot {shot.name}):\n{_violations_report(violations)}"
        )

    return check
