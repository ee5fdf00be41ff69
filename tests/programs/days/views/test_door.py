"""The door: staff find everyone who registered, whatever became of their registration, see at
a glance who may come in, check them in with one tap while the counter keeps up, and a scanned
code that was cancelled or already used says so in large type."""

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from portal.formatting import short_day
from programs.days.formatting import door_state
from programs.days.selectors import door_matches
from programs.days.services.days import complete_day
from programs.days.services.registrations import cancel_registration, check_in_registration
from tests.factories import appreciation_day, created_invitation, registered

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def door(client, organiser, day):
    client.force_login(organiser)
    return reverse("days:day-door", args=[day.pk])


def check_in_url(registration) -> str:
    return reverse("days:registration-check-in", args=[registration.pk])


def card(html: str, registration) -> str:
    """The one card the door shows for this registration."""
    found = re.search(rf'<li class="[^"]*" id="arrival-{registration.pk}">.*?</li>', html, re.S)
    assert found, f"no card for registration {registration.pk}"
    return found.group(0)


def words(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def counter(html: str) -> str:
    found = re.search(r'<p [^>]*id="door-counter"[^>]*>.*?</p>', html, re.S)
    assert found, "no counter"
    return found.group(0)


def full_day(link):
    """Six seats taken by two parties of 3; the next party waits."""
    registered(link, name="Filler One", party_size=3)
    registered(link, name="Filler Two", party_size=3)


# Search: cancelled and waiting guests are found, and say so


def test_a_guest_who_cancelled_is_found_with_the_day_they_cancelled_and_no_check_in(
    client, door, link
):
    ben = registered(link, name="Ben Cooper")
    cancel_registration(registration=ben)
    ben.refresh_from_db()
    html = client.get(door, {"q": "ben"}).content.decode()
    shown = card(html, ben)
    assert f"Cancelled on {short_day(ben.cancelled_at, now=timezone.now())}" in words(shown)
    assert "arrival--bad" in shown
    assert check_in_url(ben) not in shown
    assert "Nobody registered" not in html


def test_a_waiting_guest_is_found_with_their_place_and_no_check_in(client, door, link):
    full_day(link)
    registered(link, name="Ada Waits", party_size=2)
    ben = registered(link, name="Ben Waits", party_size=2)
    shown = card(client.get(door, {"q": "ben"}).content.decode(), ben)
    assert "On the waitlist, position 2" in words(shown)
    assert "arrival--wait" in shown and check_in_url(ben) not in shown


def test_a_confirmed_guest_is_offered_check_in_and_a_checked_in_one_says_when_and_by_whom(
    client, door, link, organiser
):
    ready = registered(link, name="Ben Ready")
    done = registered(link, name="Ben Done")
    check_in_registration(registration=done, actor=organiser)
    done.refresh_from_db()
    html = client.get(door, {"q": "ben"}).content.decode()
    assert check_in_url(ready) in card(html, ready)
    assert "Confirmed" in words(card(html, ready))
    at = timezone.localtime(done.checked_in_at)
    assert f"Checked in at {at:%H:%M} by {organiser.name}." in words(card(html, done))
    assert check_in_url(done) not in card(html, done)


def test_someone_who_cancelled_and_registered_again_is_listed_twice_the_live_one_first(
    client, door, link
):
    first = registered(link, name="Ben Again", email="ben@customer.test")
    cancel_registration(registration=first)
    again = registered(link, name="Ben Again", email="ben@customer.test")
    html = client.get(door, {"q": "ben"}).content.decode()
    assert html.index(f'id="arrival-{again.pk}"') < html.index(f'id="arrival-{first.pk}"')
    assert check_in_url(again) in card(html, again)
    assert check_in_url(first) not in card(html, first)


def test_a_stranger_is_still_told_that_nobody_matches(client, door, link):
    ben = registered(link, name="Ben Cooper")
    cancel_registration(registration=ben)
    html = client.get(door, {"q": "zelda"}).content.decode()
    assert "Nobody registered for this day matches “zelda”." in unescape(html)


def test_the_search_lists_every_state_in_name_order_with_positions(day, link, organiser):
    full_day(link)
    waiting = registered(link, name="Carl Waits", party_size=2)
    cancelled = registered(link, name="Anna Gone", party_size=1)
    cancel_registration(registration=cancelled)
    found = list(door_matches(day, search="a"))
    assert [r.name for r in found] == ["Anna Gone", "Carl Waits"]
    assert found[1].waitlist_position == 1 and found[1].pk == waiting.pk


# The search box


def test_the_search_box_is_focused_when_the_door_opens(client, door):
    html = client.get(door).content.decode()
    field = re.search(r'<input [^>]*name="q"[^>]*>', html).group(0)
    assert "autofocus" in field and 'type="search"' in field


def test_the_registrations_list_does_not_take_the_focus(client, door, day):
    html = client.get(reverse("days:day-registrations", args=[day.pk])).content.decode()
    field = re.search(r'<input [^>]*name="q"[^>]*>', html).group(0)
    assert "autofocus" not in field


# The counter moves with an inline check-in


def test_the_door_shows_how_many_confirmed_parties_are_checked_in(client, door, link):
    registered(link)
    registered(link)
    assert "0 of 2 confirmed parties checked in" in words(
        counter(client.get(door).content.decode())
    )


def test_the_counter_says_seat_for_one_and_seats_for_more(client, door, link):
    guest = registered(link, party_size=1)
    assert "· 1 seat taken." in words(counter(client.get(door).content.decode()))
    response = client.post(check_in_url(guest), **HTMX)
    assert "· 1 seat taken." in words(counter(response.content.decode()))
    registered(link, party_size=2)
    assert "· 3 seats taken." in words(counter(client.get(door).content.decode()))


def test_an_inline_check_in_sends_the_counter_out_of_band(client, door, link):
    guest = registered(link, name="Harriet Jones")
    registered(link)
    response = client.post(check_in_url(guest), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<li class="arrival card arrival--done" id="arrival-{guest.pk}"'
    )
    oob = counter(html)
    assert 'hx-swap-oob="true"' in oob
    assert "1 of 2 confirmed parties checked in" in words(oob)
    assert "hx-swap-oob" not in counter(client.get(door).content.decode())


def test_after_an_inline_check_in_the_search_box_comes_back_empty_with_the_cursor(
    client, door, link
):
    guest = registered(link, name="Harriet Jones")
    html = client.post(check_in_url(guest), **HTMX).content.decode()
    search = re.search(r'<form[^>]*id="door-search"[^>]*>(.*?)</form>', html, re.S)
    assert search, "no search box sent back"
    assert 'hx-swap-oob="true"' in search.group(0)
    box = re.search(r"<input[^>]*name=\"q\"[^>]*>", search.group(1)).group(0)
    assert "autofocus" in box
    assert "value=" not in box
    # The card itself takes no focus: the welcome is read from the page's live region.
    card = html.split('id="door-search"', 1)[0]
    assert "autofocus" not in card
    announcer = re.search(r'<p[^>]*id="door-announcer"[^>]*>(.*?)</p>', html, re.S)
    assert 'hx-swap-oob="true"' in announcer.group(0)
    assert 'role="status"' in announcer.group(0)
    assert unescape(announcer.group(1)) == "Harriet Jones (party of 2) checked in. Welcome!"


def test_the_door_page_holds_an_empty_live_region_for_the_check_ins_to_come(client, door):
    html = client.get(door).content.decode()
    announcer = re.search(r'<p[^>]*id="door-announcer"[^>]*>(.*?)</p>', html, re.S)
    assert 'role="status"' in announcer.group(0)
    assert "hx-swap-oob" not in announcer.group(0)
    assert announcer.group(1) == ""


def test_a_refused_inline_check_in_keeps_the_focus_on_its_reason(client, door, link, organiser):
    guest = registered(link, name="Harriet Jones")
    check_in_registration(registration=guest, actor=organiser)
    html = client.post(check_in_url(guest), **HTMX).content.decode()
    notice = re.search(r'<p class="arrival__notice arrival__notice--bad"[^>]*>', html).group(0)
    assert 'role="alert"' in notice and "autofocus" in notice
    assert 'id="door-search"' not in html


def test_the_counter_sent_with_a_refused_check_in_counts_the_other_phones_too(
    client, door, link, organiser
):
    guest = registered(link, name="Harriet Jones")
    other = registered(link)
    check_in_registration(registration=other, actor=organiser)
    check_in_registration(registration=guest, actor=organiser)
    html = client.post(check_in_url(guest), **HTMX).content.decode()
    assert "already checked in" in html
    assert "2 of 2 confirmed parties checked in" in words(counter(html))


def test_without_javascript_a_check_in_returns_to_the_search_with_the_counter_moved(
    client, door, link
):
    guest = registered(link, name="Harriet Jones")
    response = client.post(check_in_url(guest), {"next": f"{door}?q=harriet"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{door}?q=harriet"
    html = response.content.decode()
    assert "Harriet Jones (party of 2) checked in. Welcome!" in unescape(html)
    assert "1 of 1 confirmed parties checked in" in words(counter(html))


# A scanned code says in large type what it is


def verdict(html: str) -> str:
    found = re.search(r'<div class="verdict verdict--(\w+)"[^>]*>(.*?)</div>', html, re.S)
    assert found, "no verdict"
    return f"{found.group(1)}: {words(found.group(2))}"


def test_scanning_a_cancelled_code_says_cancelled_in_large_type(client, door, link):
    guest = registered(link, name="Quincy Adams")
    cancel_registration(registration=guest)
    guest.refresh_from_db()
    response = client.get(door, {"code": guest.checkin_code})
    html = response.content.decode()
    assert response.status_code == 200
    when = short_day(guest.cancelled_at, now=timezone.now())
    assert verdict(html).startswith(f"bad: Cancelled on {when} ")
    assert check_in_url(guest) not in html


def test_scanning_a_code_already_checked_in_says_so_with_when_and_by_whom(
    client, door, link, organiser
):
    guest = registered(link, name="Quincy Adams")
    check_in_registration(registration=guest, actor=organiser)
    guest.refresh_from_db()
    html = client.get(door, {"code": guest.checkin_code}).content.decode()
    at = timezone.localtime(guest.checked_in_at)
    assert verdict(html) == (
        f"done: Already checked in Checked in at {at:%H:%M} by {organiser.name}."
    )
    assert check_in_url(guest) not in html


def test_scanning_a_waiting_code_says_it_has_no_seat_yet(client, door, link):
    full_day(link)
    guest = registered(link, name="Quincy Waits", party_size=2)
    html = client.get(door, {"code": guest.checkin_code}).content.decode()
    assert verdict(html).startswith("wait: On the waitlist, position 1 No seat yet")
    assert check_in_url(guest) not in html


def test_scanning_a_confirmed_code_says_confirmed_and_offers_check_in(client, door, link):
    guest = registered(link, name="Quincy Adams")
    html = client.get(door, {"code": guest.checkin_code}).content.decode()
    assert verdict(html).startswith("ok: Confirmed ")
    assert check_in_url(guest) in html


def test_a_code_of_another_day_finds_nothing(client, door, link, organiser):
    other_day = appreciation_day(organiser, title="Another Day")
    stranger = registered(created_invitation(other_day, organiser))
    response = client.get(door, {"code": stranger.checkin_code})
    assert response.status_code == 404
    assert "No registration for this day has that code" in response.content.decode()


# What the door says, in words


def test_a_confirmed_party_of_a_day_that_is_over_is_not_offered_check_in(organiser, day, link):
    guest = registered(link)
    complete_day(day=day, actor=organiser, now=day.starts_at + timedelta(hours=1))
    guest.refresh_from_db()
    state = door_state(guest, now=timezone.now())
    assert not state.can_check_in
    assert state.detail == "The day is completed: nobody can be checked in."


def test_a_cancellation_in_another_year_names_the_year():
    moment = timezone.make_aware(datetime(2025, 12, 3, 14, 5))
    assert short_day(moment, now=moment + timedelta(days=40)) == "3 Dec 2025 at 14:05"
    assert short_day(moment, now=moment + timedelta(days=1)) == "3 Dec at 14:05"
