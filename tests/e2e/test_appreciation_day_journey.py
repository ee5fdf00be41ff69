"""Tried as a new user would: the organiser publishes a day with 20 seats and an invitation
link; a customer registers a party of 2 in a private window; the organiser sees it; the
customer cancels from the manage link; the waitlisted party is promoted."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs.days.models import AppreciationDay
from tests.e2e.header import nav_link
from tests.factories import registered

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _register(
    browser, base_url: str, viewport: dict, link: str, *, name: str, email: str, party: str
):
    """A customer in a fresh browser context (a private window): no account, no cookies."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    customer = context.new_page()
    customer.set_default_timeout(15_000)
    customer.goto(link)
    customer.get_by_label("Your name").fill(name)
    customer.get_by_label("Your e-mail address").fill(email)
    customer.get_by_label("How many of you are coming?").select_option(party)
    customer.get_by_role("checkbox").check()
    # "Register", or "Join the waitlist" once the day is full; not the resend form's button.
    customer.get_by_role("button", name=re.compile("^(Register|Join the waitlist)$")).click()
    customer.get_by_role("heading", name="Your private link").wait_for()
    return context, customer


def test_organiser_publishes_a_day_a_customer_registers_cancels_and_the_waitlist_moves(
    page, browser, live_server, viewport, assert_accessible
):
    call_command("seed_demo")
    starts = (timezone.now() + timedelta(days=30)).replace(hour=10, minute=0)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("organiser@demo.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Hello, Olu").wait_for()

    # The organiser drafts the day, publishes it and creates an invitation link.
    nav_link(page, "Organise days").click()
    page.get_by_role("link", name="New day").click()
    page.get_by_label("Title").fill("Journey Appreciation Day")
    page.get_by_label("Starts").fill(_local(starts))
    page.get_by_label("Ends").fill(_local(starts + timedelta(hours=5)))
    page.get_by_label("Venue").fill("The Corn Exchange")
    page.get_by_label("Seats for customers").fill("20")
    page.get_by_label("Largest party").fill("4")
    assert_accessible(page, "day-form")
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_role("heading", name="Journey Appreciation Day").wait_for()
    assert_accessible(page, "day-manage")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").wait_for()
    page.get_by_text("Create a link").click()
    page.get_by_label("Label").fill("Journey newsletter")
    page.get_by_role("button", name="Create the link").click()
    link = page.get_by_label("Link for Journey newsletter").input_value()
    assert "/invite/" in link

    # A customer registers a party of 2 in a private window.
    first_context, first = _register(
        browser,
        live_server.url,
        viewport,
        link,
        name="Rosa Diaz",
        email="rosa@example.com",
        party="2",
    )
    assert first.get_by_role("heading", name="You’re registered").is_visible()
    assert first.get_by_role("img", name="Check-in QR code for Rosa Diaz").is_visible()
    manage_link = first.url
    assert_accessible(first, "customer-registered")

    # It appears on the organiser's list.
    day = AppreciationDay.objects.get(title="Journey Appreciation Day")
    page.goto(reverse("days:day-registrations", args=[day.pk]))
    row = page.get_by_role("row").filter(has_text="Rosa Diaz")
    assert "Confirmed" in row.inner_text() and "2" in row.inner_text()
    assert "2 of 20" in page.locator(".figures").inner_text()
    assert_accessible(page, "day-registrations")

    # The rest of the seats go, and the next party waits.
    invitation = day.invitations.get()
    for n, size in enumerate((4, 4, 4, 4, 2)):
        registered(invitation, party_size=size, email=f"filler{n}@example.com")
    second_context, second = _register(
        browser,
        live_server.url,
        viewport,
        link,
        name="Sam Waits",
        email="sam@example.com",
        party="2",
    )
    assert second.get_by_role("heading", name="You’re on the waitlist").is_visible()
    assert "Place in the waitlist" in second.locator(".figures").inner_text()
    assert_accessible(second, "customer-waitlisted")

    # Rosa cancels from her manage link; Sam is promoted.
    first.goto(manage_link)
    first.get_by_role("link", name="Cancel my registration").click()
    first.get_by_role("button", name="Yes, cancel my registration").click()
    first.get_by_text("Your registration is cancelled").wait_for()
    assert first.get_by_role("heading", name="This registration is cancelled").is_visible()
    assert_accessible(first, "customer-cancelled")

    page.reload()
    sam = page.get_by_role("row").filter(has_text="Sam Waits")
    assert "Confirmed" in sam.inner_text()
    assert "20 of 20" in page.locator(".figures").inner_text()
    second.reload()
    assert second.get_by_role("heading", name="You’re registered").is_visible()

    # At the door, the organiser finds Sam and checks the party in.
    page.get_by_role("link", name="Door check-in").click()
    page.get_by_label("Search by name or e-mail").fill("sam")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Check in Sam Waits").click()
    # The card says so (the same words go to screen readers through the page's live region).
    page.locator("li.arrival").get_by_text("Sam Waits (party of 2) checked in").wait_for()
    assert_accessible(page, "door-checked-in")

    first_context.close()
    second_context.close()
