"""The customer's private page: cancelling asks first (without JavaScript), says what happens
to the seats, and a cancelled registration says so plainly; and the waitlist is explained as
it really works, on every page and e-mail that explains it."""

from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from programs.days.models import RegistrationStatus
from programs.days.services.days import cancel_day, revoke_invitation
from programs.days.services.registrations import cancel_registration, check_in_registration
from programs.notifications.delivery import build_message
from programs.notifications.models import Notification
from tests.factories import registered

pytestmark = pytest.mark.django_db

RULE = render_to_string("days/partials/waitlist_rule.txt").strip()
UNTRUE = ["in the order people joined, and", "places go to the waitlist in order"]


def manage_url(registration) -> str:
    return reverse("days:registration-manage", args=[registration.manage_token])


def cancel_url(registration) -> str:
    return reverse("days:registration-cancel", args=[registration.manage_token])


def text(response) -> str:
    return unescape(response.content.decode())


# Cancelling asks first


def test_the_private_page_links_to_a_confirmation_not_a_one_tap_cancel(client, link):
    guest = registered(link, party_size=2)
    html = text(client.get(manage_url(guest)))
    assert f'href="{cancel_url(guest)}"' in html
    assert f'action="{cancel_url(guest)}"' not in html


def test_getting_the_cancel_page_asks_and_says_where_the_seats_go(client, link):
    guest = registered(link, party_size=2)
    response = client.get(cancel_url(guest))
    html = text(response)
    assert response.status_code == 200
    assert "Cancel your registration?" in html
    assert "Your 2 seats go to the next people waiting." in html
    assert f'<form method="post" action="{cancel_url(guest)}"' in html
    assert "Yes, cancel my registration" in html and f'href="{manage_url(guest)}"' in html
    guest.refresh_from_db()
    assert guest.status == RegistrationStatus.CONFIRMED


def test_a_party_of_one_hears_about_its_one_seat(client, link):
    guest = registered(link, party_size=1)
    assert "Your seat goes to the next people waiting." in text(client.get(cancel_url(guest)))


def test_a_waiting_party_is_told_it_leaves_the_waitlist(client, link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    html = text(client.get(cancel_url(waiting)))
    assert "You leave the waitlist, where your party of 3 is at place 1." in html
    assert "seats go" not in html


def test_posting_the_confirmation_cancels_and_passes_the_seats_on(client, link):
    first = registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    response = client.post(cancel_url(first), follow=True)
    assert response.redirect_chain[-1][0] == manage_url(first)
    assert "Your registration is cancelled and your seats are passed on." in text(response)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("state", ["cancelled", "checked in", "day cancelled"])
def test_the_cancel_page_sends_back_what_cannot_be_cancelled(client, link, organiser, state):
    guest = registered(link)
    if state == "cancelled":
        cancel_registration(registration=guest)
    elif state == "checked in":
        check_in_registration(registration=guest, actor=organiser)
    else:
        cancel_day(day=link.day, actor=organiser)
    response = client.get(cancel_url(guest))
    assert response.status_code == 302 and response["Location"] == manage_url(guest)


# The cancelled state, plainly


def test_a_cancelled_registration_shows_when_and_no_calendar_qr_or_cancel(client, link):
    guest = registered(link, party_size=2)
    cancel_registration(registration=guest)
    guest.refresh_from_db()
    html = text(client.get(manage_url(guest)))
    when = timezone.localtime(guest.cancelled_at)
    assert "This registration is cancelled" in html
    assert f"Cancelled on {when:%-d %B %Y, %H:%M}." in strip_tags(html)
    assert "Add to your calendar" not in html
    assert reverse("days:registration-ics", args=[guest.manage_token]) not in html
    assert reverse("days:registration-qr", args=[guest.manage_token]) not in html
    assert "Cancel my registration" not in html


def test_a_cancelled_customer_is_shown_how_to_register_again_while_the_link_works(
    client, link, organiser
):
    guest = registered(link)
    cancel_registration(registration=guest)
    register = reverse("days:public-register", args=[link.token])
    html = text(client.get(manage_url(guest)))
    assert f'href="{register}"' in html and "Register again" in html
    revoke_invitation(invitation=link, actor=organiser)
    html = text(client.get(manage_url(guest)))
    assert register not in html
    assert "no longer taking registrations through the link you used" in html


def test_a_cancelled_customer_may_register_again_through_the_link(client, link):
    guest = registered(link, email="rosa@customer.test")
    cancel_registration(registration=guest)
    response = client.post(
        reverse("days:public-register", args=[link.token]),
        {"name": "Rosa", "email": "rosa@customer.test", "party_size": "2", "consent": "on"},
    )
    assert response.status_code == 302
    assert link.day.registrations.live().with_email("rosa@customer.test").count() == 1


def test_a_confirmed_registration_still_offers_its_calendar_and_code(client, link):
    guest = registered(link)
    html = text(client.get(manage_url(guest)))
    assert "Add to your calendar" in html
    assert reverse("days:registration-qr", args=[guest.manage_token]) in html
    assert "Cancelled on" not in html


def test_the_day_called_off_offers_no_calendar_or_code(client, link, organiser):
    guest = registered(link)
    cancel_day(day=link.day, actor=organiser)
    html = text(client.get(manage_url(guest)))
    assert "The day itself has been cancelled" in html
    assert "Add to your calendar" not in html
    assert reverse("days:registration-qr", args=[guest.manage_token]) not in html


# The waitlist, as it really works


def test_the_rule_says_what_promote_waitlist_does(link):
    """The behaviour the wording describes: when two seats free up, the party of three at the
    head of the waitlist does not fit and keeps its place; the party of one behind it is
    confirmed first."""
    registered(link, party_size=4)
    pair = registered(link, party_size=2)
    larger = registered(link, party_size=3)
    smaller = registered(link, party_size=1)
    cancel_registration(registration=pair)
    larger.refresh_from_db()
    smaller.refresh_from_db()
    assert smaller.status == RegistrationStatus.CONFIRMED
    assert larger.status == RegistrationStatus.WAITLISTED
    assert "confirm every party that fits the seats free" in RULE
    assert "A party too large for them keeps its place" in RULE
    assert "a smaller party behind it can be confirmed first" in RULE


def test_the_full_registration_page_explains_the_rule(client, link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    html = text(client.get(reverse("days:public-register", args=[link.token])))
    assert "Join the waitlist" in html and RULE in html
    for untrue in UNTRUE:
        assert untrue not in html


def test_the_open_registration_page_explains_the_rule(client, link):
    html = text(client.get(reverse("days:public-register", args=[link.token])))
    assert "6 seats left" in html and RULE in html


def test_the_waiting_customers_page_explains_the_rule(client, link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    html = text(client.get(manage_url(waiting)))
    assert "Place in the waitlist" in html and RULE in html
    for untrue in UNTRUE:
        assert untrue not in html


def test_the_waitlisted_email_explains_the_rule_in_text_and_html(link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    message = build_message(
        Notification.objects.get(kind="registration_waitlisted", email=waiting.email)
    )
    html = unescape(message.alternatives[0][0])
    for body in (message.body, html):
        assert " ".join(RULE.split()) in " ".join(body.split())
        assert "not enough seats free" in body and "is full just now" not in body
        for untrue in UNTRUE:
            assert untrue not in body


def test_the_organisers_registrations_page_explains_the_rule(client, organiser, day):
    client.force_login(organiser)
    html = text(client.get(reverse("days:day-registrations", args=[day.pk])))
    assert "every party that fits the seats free is confirmed" in html
    assert "a smaller party behind it can be confirmed first" in html
    assert "The waitlist moves up by itself when someone cancels." not in html


def test_the_readme_states_the_rule(settings):
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "otherwise waits in arrival order" not in readme
    assert "a smaller party behind it can be confirmed first" in readme
