"""At the door and for the customer, in Chromium at desktop width and on a 390 px phone: an
organiser checks five guests in from the door page, told plainly about those who cancelled or
are waiting and about strangers; a scanned QR code that was cancelled or already used says so
in large type; a customer who lost their private link asks for it again on the invitation page
and gets it by e-mail, with the same answer an unregistered address gets."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from programs.days.calendar import qr_svg
from programs.days.services.registrations import cancel_registration, check_in_registration
from tests.e2e.header import log_in, nav_link
from tests.factories import PASSWORD, appreciation_day, created_invitation, registered

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUESTS = ["Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Dorothy Vaughan", "Mary Jackson"]


def _search(page, term: str) -> None:
    """As staff do at the door: type into the box the page focused, and press Enter."""
    box = page.get_by_label("Search by name or e-mail")
    box.fill(term)
    # The search is a plain GET form: the page with the answer replaces this one.
    with page.expect_navigation():
        box.press("Enter")
    page.get_by_role("heading", name="Matches").wait_for()


def _type_next_name(page, term: str) -> None:
    """No tap on the box, no clearing it: just type where the cursor already is."""
    page.keyboard.type(term)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Matches").wait_for()


def _search_is_focused(page) -> bool:
    return page.evaluate(
        "() => document.activeElement === document.querySelector('input[name=q]')"
        " && document.activeElement.type === 'search'"
    )


def _counter(page) -> str:
    return page.locator("#door-counter strong").inner_text()


def _card(page, name: str):
    return page.locator("li.arrival").filter(has_text=name)


def _fits_the_width(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"


def test_an_organiser_checks_five_guests_in_at_the_door_and_is_told_who_cannot_be(
    page, organiser, viewport, assert_accessible
):
    day = appreciation_day(organiser, capacity=10, title="Door Appreciation Day")
    link = created_invitation(day, organiser)
    # Rosa registers and then cancels: her seats go back before the others come.
    rosa = registered(link, name="Rosa Cancelled", party_size=2)
    cancel_registration(registration=rosa)
    for name in GUESTS:
        registered(link, name=name, party_size=2)
    waiting = registered(link, name="Wendy Waiting", party_size=2)
    assert waiting.status == "waitlisted"

    log_in(page, organiser.email, password=PASSWORD)
    nav_link(page, "Organise days").click()
    page.get_by_role("link", name="Door Appreciation Day").click()
    page.get_by_role("link", name="Door check-in").click()
    page.get_by_role("heading", name="Check-in").wait_for()
    # The search box has the cursor at once: the next name can be typed without a tap.
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'q'")
    assert _search_is_focused(page)
    assert _counter(page) == "0 of 5"
    _fits_the_width(page)
    assert_accessible(page, "door")

    started = time.perf_counter()
    for done, name in enumerate(GUESTS, start=1):
        if done == 1:
            _search(page, name.split()[1])
        else:
            _type_next_name(page, name.split()[1])
        assert _search_is_focused(page)
        # A mark on this very document: a reload would wipe it.
        page.evaluate("() => { window.stillTheSamePage = true; }")
        page.get_by_role("button", name=f"Check in {name}").click()
        welcome = f"{name} (party of 2) checked in. Welcome!"
        _card(page, name).get_by_text(welcome).wait_for()
        page.locator("#door-counter strong").filter(has_text=f"{done} of 5").wait_for()
        assert page.evaluate("() => window.stillTheSamePage === true")
        # The cursor is back in an empty search box for the next guest, and a screen reader
        # hears the welcome from the page's live region.
        page.wait_for_function(
            "() => document.activeElement.name === 'q' && document.activeElement.value === ''"
        )
        assert page.locator("#door-announcer").inner_text() == welcome
    elapsed = time.perf_counter() - started
    print(f"\nFive guests checked in at {viewport['width']} px in {elapsed:.2f} s")
    assert _counter(page) == "5 of 5"
    # The last one's card now says so, and offers no second check-in.
    last = _card(page, GUESTS[-1])
    assert last.locator(".arrival__state .badge").inner_text() == "Checked in"
    assert last.get_by_role("button").count() == 0
    _fits_the_width(page)
    assert_accessible(page, "door-checked-in")

    # Rosa cancelled: she is found, and the page says why she cannot come in.
    _search(page, "Rosa")
    rosa_card = _card(page, "Rosa Cancelled")
    assert rosa_card.locator(".arrival__state .badge").inner_text().startswith("Cancelled on ")
    assert "it has no seat, so it cannot be checked in" in rosa_card.inner_text()
    assert rosa_card.get_by_role("button").count() == 0
    assert page.get_by_text("Nobody registered").count() == 0
    _fits_the_width(page)
    assert_accessible(page, "door-cancelled")

    # After a search the last name is selected in the box: typing the next replaces it.
    _type_next_name(page, "Wendy")
    wendy_card = _card(page, "Wendy Waiting")
    assert wendy_card.locator(".arrival__state .badge").inner_text() == (
        "On the waitlist, position 1"
    )
    assert wendy_card.get_by_role("button").count() == 0
    assert_accessible(page, "door-waiting")

    _type_next_name(page, "Zebedee Stranger")
    assert page.get_by_text(
        "Nobody registered for this day matches “Zebedee Stranger”."
    ).is_visible()
    assert page.locator("li.arrival").count() == 0
    assert _counter(page) == "5 of 5"
    assert_accessible(page, "door-nobody")


def _scan_url(live_server, registration) -> str:
    door = reverse("days:day-door", args=[registration.day_id])
    return f"{live_server.url}{door}?code={registration.checkin_code}"


def _qr_on_private_page(customer, registration) -> bytes:
    """The QR code the customer's private page shows, as the image the door's camera reads."""
    customer.goto(f"/r/{registration.manage_token}/")
    image = customer.get_by_role("img", name=f"Check-in QR code for {registration.name}")
    response = customer.request.get(image.get_attribute("src"))
    assert response.ok
    return response.body()


def _assert_large_verdict(page, headline: str) -> None:
    """The scanned code's verdict is the page's status, in the verdict's own large type."""
    said = page.locator(".verdict[role=status]").get_by_text(re.compile(f"^{re.escape(headline)}"))
    assert "verdict__headline" in said.get_attribute("class").split()
    size = "(element) => parseFloat(getComputedStyle(element).fontSize)"
    large, body = said.evaluate(size), page.locator("body").evaluate(size)
    assert large > body, f"the verdict is {large} px against the body's {body} px"
    assert page.get_by_role("button", name=re.compile("^Check in")).count() == 0


def test_a_scanned_code_that_was_cancelled_or_already_used_says_so_in_large_type(
    page, browser, live_server, viewport, organiser, assert_accessible
):
    day = appreciation_day(organiser, title="Door Appreciation Day")
    link = created_invitation(day, organiser)
    quitter = registered(link, name="Quentin Quits", party_size=2)
    twice = registered(link, name="Tess Twice", party_size=1)

    # Each customer keeps the code from their private page while their place is confirmed.
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    customer = context.new_page()
    for guest in (quitter, twice):
        # The code is the door page at this registration: the same drawing, bit for bit.
        assert _qr_on_private_page(customer, guest) == qr_svg(_scan_url(live_server, guest))
    context.close()
    cancel_registration(registration=quitter)
    check_in_registration(registration=twice, actor=organiser)

    log_in(page, organiser.email, password=PASSWORD)
    page.goto(_scan_url(live_server, quitter))
    page.get_by_role("heading", name="Scanned registration").wait_for()
    _assert_large_verdict(page, "Cancelled on ")
    assert "it has no seat, so it cannot be checked in" in page.locator(".verdict").inner_text()
    assert "Quentin Quits" in page.locator("li.arrival").inner_text()
    _fits_the_width(page)
    assert_accessible(page, "scan-cancelled")

    page.goto(_scan_url(live_server, twice))
    page.get_by_role("heading", name="Scanned registration").wait_for()
    _assert_large_verdict(page, "Already checked in")
    # Tess's party of one; Quentin's seats went back when he cancelled.
    assert page.locator("#door-counter").inner_text().endswith("· 1 seat taken.")
    assert f"by {organiser.name}." in page.locator(".verdict__detail").inner_text()
    _fits_the_width(page)
    assert_accessible(page, "scan-already-checked-in")


def _ask_for_my_link(page, invite: str, email: str) -> str:
    page.goto(invite)
    page.get_by_label("The e-mail address you registered with").fill(email)
    page.get_by_role("button", name="Send my link again").click()
    page.wait_for_url(re.compile(re.escape(invite) + "$"))
    return page.get_by_role("status").inner_text()


def _sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to[0]]


def test_a_customer_gets_their_private_link_again_and_nobody_learns_who_registered(
    page, live_server, organiser, settings, assert_accessible
):
    # The e-mail's links lead to this server, as they lead to the portal in production.
    settings.PORTAL_BASE_URL = live_server.url
    day = appreciation_day(organiser, title="Door Appreciation Day")
    link = created_invitation(day, organiser)
    rosa = registered(link, name="Rosa Diaz", email="rosa@customer.test", party_size=2)
    mail.outbox.clear()  # her confirmation; what follows is only what the form sends
    invite = reverse("days:public-register", args=[link.token])

    page.goto(invite)
    page.get_by_role("heading", name="Registered already?").wait_for()
    _fits_the_width(page)
    assert_accessible(page, "invitation")

    known = _ask_for_my_link(page, invite, "rosa@customer.test")
    assert known.startswith("If rosa@customer.test is registered for this day, its private link")
    _fits_the_width(page)
    assert_accessible(page, "resend-answered")
    unknown = _ask_for_my_link(page, invite, "stranger@customer.test")
    # Word for word the same, but for the address each gave.
    assert unknown == known.replace("rosa@customer.test", "stranger@customer.test")

    assert _sent_to("stranger@customer.test") == []
    [message] = _sent_to("rosa@customer.test")
    assert message.subject.endswith("Your private link for Door Appreciation Day")
    manage = f"{live_server.url}/r/{rosa.manage_token}/"
    assert re.findall(r"http\S+/r/\S+", message.body) == [manage]

    page.goto(manage)
    page.get_by_role("heading", name="You’re registered").wait_for()
    assert "Rosa Diaz" in page.locator(".figures").inner_text()
    assert page.get_by_role("img", name="Check-in QR code for Rosa Diaz").is_visible()
    _fits_the_width(page)
    assert_accessible(page, "private-page-from-email")
