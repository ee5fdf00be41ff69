"""In Chromium, at desktop width and on a 390 px phone, under the portal's
Content-Security-Policy: a customer cancels from their private page only after a confirmation
that says where their seats go, and then sees the cancelled state plainly; an organiser copies
an invitation link with the button the static script adds, and hears "Copied"."""

import re

import pytest

from tests.factories import PASSWORD, appreciation_day, created_invitation, registered

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def sized(request, browser, live_server):
    """A page at each width, recording what the Content-Security-Policy refuses."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=WIDTHS[request.param],
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page, refused, request.param
    context.close()


def _fits_the_width(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"


def test_a_customer_cancels_only_after_confirming_and_sees_the_cancelled_state(
    sized, organiser, assert_accessible
):
    page, refused, _width = sized
    day = appreciation_day(organiser, capacity=4, title="Autumn Appreciation Day")
    link = created_invitation(day, organiser)
    guest = registered(link, name="Rosa Customer", party_size=2)
    waiting = registered(link, name="Sam Waiting", party_size=3)

    page.goto(f"/r/{guest.manage_token}/")
    page.get_by_role("heading", name="You’re registered").wait_for()
    assert_accessible(page, "registered")
    page.get_by_role("link", name="Cancel my registration").click()

    page.get_by_role("heading", name="Cancel your registration?").wait_for()
    assert page.get_by_text("Your 2 seats go to the next people waiting.").is_visible()
    _fits_the_width(page)
    assert_accessible(page, "cancel-confirm")
    # Changing one's mind leaves everything as it was.
    page.get_by_role("link", name="No, keep it").click()
    page.get_by_role("heading", name="You’re registered").wait_for()
    guest.refresh_from_db()
    assert guest.status == "confirmed"

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_role("heading", name="This registration is cancelled").wait_for()
    assert page.get_by_text(
        re.compile(r"^Cancelled on \d{1,2} \w+ \d{4}, \d\d:\d\d\.")
    ).is_visible()
    assert page.get_by_role("link", name="Register again").is_visible()
    assert page.get_by_text("Add to your calendar").count() == 0
    assert page.get_by_role("img", name=re.compile("QR code")).count() == 0
    assert page.get_by_role("link", name="Cancel my registration").count() == 0
    _fits_the_width(page)
    assert_accessible(page, "cancelled")
    # Sam's party of 3 now fits the 4 seats free.
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert refused == []


def test_an_organiser_copies_an_invitation_link_and_hears_it_was_copied(
    sized, organiser, assert_accessible
):
    page, refused, width = sized
    day = appreciation_day(organiser, title="Autumn Appreciation Day")
    link = created_invitation(day, organiser, label="Newsletter")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile(r"^Hello, ")).wait_for()
    page.goto(f"/days/organise/{day.pk}/")

    field = page.get_by_label("Link for Newsletter")
    assert field.input_value().endswith(f"/invite/{link.token}/")
    button = page.get_by_role("button", name="Copy link for Newsletter")
    button.click()
    status = page.get_by_role("status").filter(has_text="Copied")
    status.wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("() => navigator.clipboard.readText()") == field.input_value()
    box = button.bounding_box()
    assert box["x"] + box["width"] <= WIDTHS[width]["width"]
    _fits_the_width(page)
    assert_accessible(page, "copy-link")

    # Revoking asks first, on a page of its own.
    page.get_by_role("link", name="Revoke… Newsletter").click()
    page.get_by_role("heading", name="Revoke the link “Newsletter”?").wait_for()
    _fits_the_width(page)
    assert_accessible(page, "revoke-confirm")
    page.get_by_role("button", name="Yes, revoke the link").click()
    page.get_by_text("The link “Newsletter” no longer works.").wait_for()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert refused == []


def test_without_javascript_the_link_is_text_and_no_button_appears(browser, live_server, organiser):
    day = appreciation_day(organiser, title="Autumn Appreciation Day")
    created_invitation(day, organiser, label="Newsletter")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/days/organise/{day.pk}/")
    assert "/invite/" in page.get_by_label("Link for Newsletter").input_value()
    assert page.get_by_role("button", name=re.compile("Copy link")).count() == 0
    context.close()
