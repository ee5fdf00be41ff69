"""Appreciation day pages: staff shifts, the organisers' pages, the door, and the customer's
pages at an invitation link (with no account, no JavaScript, throttled per address)."""

import csv
import io
import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleName
from programs.days.models import AppreciationDay, Registration, ShiftSignup
from programs.days.services.days import revoke_invitation
from programs.days.services.registrations import cancel_registration, check_in_registration
from programs.days.services.shifts import sign_up_for_shift
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    grant,
    registered,
)
from tests.support.day_entry import datetime_local, day_form, registration_form
from tests.support.queries import assert_same_query_count, page_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# Staff: days and shifts


def test_staff_see_published_days_with_their_shifts_not_drafts(client, agent, day, organiser):
    added_shift(day, organiser, role="Greeter")
    appreciation_day(organiser, publish=False, title="Secret Draft")
    client.force_login(agent)
    page = client.get(reverse("days:days")).content.decode()
    assert "Summer Appreciation Day" in page and "Greeter" in page
    assert "Secret Draft" not in page


def test_sign_up_in_one_click_with_htmx_swaps_just_the_shift(client, agent, day, organiser):
    shift = added_shift(day, organiser, capacity=3)
    client.force_login(agent)
    response = client.post(reverse("days:shift-signup", args=[shift.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="shift shift--mine" id="shift-{shift.pk}"')
    assert "You’re on this shift" in html and "1 of 3 places taken" in html
    assert "<nav" not in html
    response = client.post(reverse("days:shift-leave", args=[shift.pk]), **HTMX)
    assert "Sign up" in response.content.decode()
    assert not ShiftSignup.objects.exists()


def test_sign_up_without_javascript_returns_to_the_page_with_a_message(
    client, agent, day, organiser
):
    shift = added_shift(day, organiser)
    client.force_login(agent)
    next_url = reverse("days:day-detail", args=[day.pk])
    response = client.post(
        reverse("days:shift-signup", args=[shift.pk]), {"next": next_url}, follow=True
    )
    assert response.redirect_chain[-1][0] == next_url
    assert "You’re down as Greeter" in response.content.decode()


def test_an_overlapping_shift_is_refused_beside_it(client, agent, day, organiser):
    first = added_shift(day, organiser, hours=(0, 3), role="Greeter")
    second = added_shift(day, organiser, hours=(1, 2), role="Host")
    sign_up_for_shift(shift=first, user=agent)
    client.force_login(agent)
    response = client.post(reverse("days:shift-signup", args=[second.pk]), **HTMX)
    html = response.content.decode()
    assert "overlaps your shift as Greeter" in html and "Sign up" in html
    assert ShiftSignup.objects.filter(user=agent).count() == 1


def test_a_full_shift_says_so(client, agent, day, organiser):
    shift = added_shift(day, organiser, capacity=1)
    sign_up_for_shift(shift=shift, user=UserFactory())
    client.force_login(agent)
    html = client.get(reverse("days:day-detail", args=[day.pk])).content.decode()
    assert "Full" in html


def test_my_shifts_and_a_calendar_file_for_each(client, agent, day, organiser):
    shift = added_shift(day, organiser, role="Photographer")
    sign_up_for_shift(shift=shift, user=agent)
    client.force_login(agent)
    page = client.get(reverse("days:my-shifts")).content.decode()
    assert "Photographer" in page and reverse("days:shift-ics", args=[shift.pk]) in page
    ics = client.get(reverse("days:shift-ics", args=[shift.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Photographer · Summer Appreciation Day" in body


def test_the_days_page_takes_the_same_queries_for_one_day_or_ten(client, agent, organiser):
    client.force_login(agent)
    first = appreciation_day(organiser)
    added_shift(first, organiser)
    url = reverse("days:days")
    few = page_queries(client, url)
    for n in range(9):
        more = appreciation_day(organiser, title=f"Day {n}")
        added_shift(more, organiser)
        added_shift(more, organiser, hours=(2, 4))
    assert_same_query_count(few, page_queries(client, url))


# Organisers


def test_an_organiser_creates_a_day_from_the_form(client, organiser):
    client.force_login(organiser)
    data = day_form(registration_opens_at="", registration_closes_at="")
    response = client.post(reverse("days:day-new"), data)
    day = AppreciationDay.objects.get(title="Winter Warmer")
    assert response.status_code == 302
    assert response["Location"] == reverse("days:day-manage", args=[day.pk])
    assert day.status == "draft" and day.capacity == 20


def test_bad_day_input_shows_errors_beside_the_fields_and_saves_nothing(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("days:day-new"),
        {"title": "", "starts_at": "soon", "ends_at": "", "capacity": "-3", "max_party_size": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field__errors"') >= 4
    assert not AppreciationDay.objects.exists()


def test_publish_add_a_shift_and_an_invitation_link(client, organiser):
    day = appreciation_day(organiser, publish=False)
    client.force_login(organiser)
    client.post(reverse("days:day-publish", args=[day.pk]))
    day.refresh_from_db()
    assert day.status == "published"
    response = client.post(
        reverse("days:day-shift-add", args=[day.pk]),
        {
            "role": "Host",
            "starts_at": datetime_local(day.starts_at),
            "ends_at": datetime_local(day.starts_at + timedelta(hours=2)),
            "capacity": "3",
        },
    )
    assert response.status_code == 302 and day.shifts.get().role == "Host"
    response = client.post(
        reverse("days:day-invitation-add", args=[day.pk]), {"label": "VIP list"}, follow=True
    )
    link = day.invitations.get()
    html = response.content.decode()
    assert link.label == "VIP list"
    assert f"/invite/{link.token}/" in html


def test_a_bad_shift_shows_the_manage_page_with_the_errors(client, organiser, day):
    client.force_login(organiser)
    response = client.post(
        reverse("days:day-shift-add", args=[day.pk]),
        {"role": "", "starts_at": "x", "ends_at": "", "capacity": "0"},
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="field__errors"') >= 3
    assert not day.shifts.exists()


def test_revoking_a_link_stops_it(client, organiser, day, link):
    client.force_login(organiser)
    client.post(reverse("days:invitation-revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    client.logout()
    response = client.get(reverse("days:public-register", args=[link.token]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["day-manage", "day-edit", "day-registrations", "day-door", "day-export"],
)
def test_only_the_days_organisers_reach_its_pages(client, day, agent, url_name):
    url = reverse(f"days:{url_name}", args=[day.pk])
    client.force_login(agent)
    assert client.get(url).status_code == 403
    client.force_login(grant(UserFactory(), RoleName.ORGANISER))
    assert client.get(url).status_code == 404


def test_the_registrations_list_shows_seats_the_waitlist_in_order_and_searches(
    client, organiser, day, link
):
    registered(link, name="Ada Lovelace", party_size=4)
    registered(link, name="Brian May", party_size=2)
    registered(link, name="Cleo Laine", party_size=3)
    registered(link, name="Dev Patel", party_size=4)
    client.force_login(organiser)
    url = reverse("days:day-registrations", args=[day.pk])
    html = client.get(url).content.decode()
    assert "6 of 6" in html
    assert "Waitlisted · #1" in html and "Waitlisted · #2" in html
    assert html.index("Cleo Laine") < html.index("Dev Patel")
    found = client.get(url, {"q": "patel"}).content.decode()
    assert "Dev Patel" in found and "Ada Lovelace" not in found
    assert "Waitlisted · #2" in found
    waiting = client.get(url, {"status": "waitlisted"}).content.decode()
    assert "Brian May" not in waiting and "Cleo Laine" in waiting
    live = client.get(url, **HTMX).content.decode()
    assert (
        live.lstrip().startswith('<div id="registrations-live"') and '<nav class="site' not in live
    )


def test_the_registrations_list_takes_the_same_queries_for_two_or_forty(
    client, organiser, day, link
):
    from programs.days.services.days import update_day

    update_day(day=day, actor=organiser, capacity=200)
    registered(link)
    registered(link)
    client.force_login(organiser)
    url = reverse("days:day-registrations", args=[day.pk])
    few = page_queries(client, url)
    for _ in range(38):
        registered(link)
    assert_same_query_count(few, page_queries(client, url))


def test_the_csv_export_neutralises_formulas(client, organiser, day, link):
    registered(link, name='=HYPERLINK("http://evil")', dietary_needs="@SUM(A1)")
    registered(link, name="+44 Caller", accessibility_needs="-1 step")
    client.force_login(organiser)
    response = client.get(reverse("days:day-export", args=[day.pk]))
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:4] == ["name", "email", "party_size", "status"]
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'@SUM(A1)" in cells
    assert "'+44 Caller" in cells and "'-1 step" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_the_door_finds_by_name_and_checks_in_with_one_tap(client, organiser, day, link):
    guest = registered(link, name="Harriet Jones", party_size=2)
    client.force_login(organiser)
    door = reverse("days:day-door", args=[day.pk])
    html = client.get(door, {"q": "harriet"}).content.decode()
    assert "Harriet Jones" in html and "Check in" in html
    response = client.post(reverse("days:registration-check-in", args=[guest.pk]), **HTMX)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(
        f'<li class="arrival card arrival--done" id="arrival-{guest.pk}"'
    )
    assert "checked in" in fragment
    again = client.post(
        reverse("days:registration-check-in", args=[guest.pk]),
        {"next": f"{door}?q=harriet"},
        follow=True,
    )
    assert "already checked in" in again.content.decode()
    guest.refresh_from_db()
    assert guest.checked_in_at is not None


def test_the_qr_code_opens_the_door_page_at_that_registration(client, organiser, day, link):
    guest = registered(link, name="Quincy Adams")
    registered(link, name="Other Person")
    client.force_login(organiser)
    url = reverse("days:day-door", args=[day.pk])
    html = client.get(url, {"code": guest.checkin_code}).content.decode()
    assert "Quincy Adams" in html and "Other Person" not in html


def test_a_waitlisted_party_cannot_be_checked_in_at_the_door(client, organiser, day, link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, name="Late Larry", party_size=2)
    client.force_login(organiser)
    html = client.get(reverse("days:day-door", args=[day.pk]), {"q": "larry"}).content.decode()
    assert "On the waitlist, position 1" in html and "Check in" not in html
    response = client.post(reverse("days:registration-check-in", args=[waiting.pk]), **HTMX)
    assert "Only a confirmed registration" in response.content.decode()


# Customers, with no account


def test_the_public_page_registers_a_party_and_shows_the_confirmation(client, day, link):
    url = reverse("days:public-register", args=[link.token])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Summer Appreciation Day" in html
    assert 'class="site-nav"' not in html and "htmx" not in html
    response = client.post(url, registration_form())
    registration = Registration.objects.get()
    assert response.status_code == 302
    manage = reverse("days:registration-manage", args=[registration.manage_token])
    assert response["Location"] == manage
    confirmation = client.get(manage).content.decode()
    assert "You’re registered" in confirmation
    assert reverse("days:registration-ics", args=[registration.manage_token]) in confirmation
    assert reverse("days:registration-qr", args=[registration.manage_token]) in confirmation
    assert "Cancel my registration" in confirmation


def test_the_staff_navigation_never_shows_on_the_public_page_even_when_logged_in(
    client, organiser, day, link
):
    client.force_login(organiser)
    html = client.get(reverse("days:public-register", args=[link.token])).content.decode()
    assert "site-nav" not in html and "Log out" not in html


def test_a_full_day_offers_the_waitlist_and_shows_the_place(client, day, link):
    registered(link, party_size=4)
    registered(link, party_size=2)
    url = reverse("days:public-register", args=[link.token])
    html = client.get(url).content.decode()
    assert "Join the waitlist" in html and "All 6 seats are taken" in html
    response = client.post(url, registration_form(), follow=True)
    html = response.content.decode()
    assert "You’re on the waitlist" in html
    assert "Place in the waitlist</dt><dd>1</dd>" in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"party_size": "0"}, "party_size"),
        ({"party_size": "5"}, "party_size"),
        ({"consent": ""}, "consent"),
        ({"accessibility_needs": "x" * 10_000}, "accessibility_needs"),
        ({"dietary_needs": "y" * 10_240}, "dietary_needs"),
        ({"name": "z" * 10_000}, "name"),
    ],
)
def test_bad_input_on_the_public_form_is_shown_beside_the_field_and_nothing_written(
    client, day, link, changes, field
):
    data = registration_form(**changes)
    if data["consent"] == "":
        del data["consent"]
    response = client.post(reverse("days:public-register", args=[link.token]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html
    assert "Nothing was saved yet" in html
    assert not Registration.objects.exists()
    link.refresh_from_db()
    assert link.uses == 0


def test_the_same_email_twice_shows_the_existing_registration(client, day, link):
    registered(link, email="same@customer.test", party_size=2)
    response = client.post(
        reverse("days:public-register", args=[link.token]),
        registration_form(email="SAME@customer.test", party_size="4"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "You’re already registered" in html
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "used up"])
def test_a_link_that_does_not_work_answers_404_clearly(client, day, organiser, state):
    link = created_invitation(day, organiser, max_uses=1, expires_at=timezone.now() + timedelta(1))
    token = link.token
    if state == "unknown":
        token = "not-a-real-token-" + "x" * 30
    elif state == "revoked":
        revoke_invitation(invitation=link, actor=organiser)
    elif state == "expired":
        type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        registered(link)
    url = reverse("days:public-register", args=[token])
    for response in (client.get(url), client.post(url, registration_form())):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_a_closed_or_cancelled_day_says_so(client, day, link, organiser):
    AppreciationDay.objects.filter(pk=day.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1),
        registration_opens_at=timezone.now() - timedelta(days=2),
    )
    url = reverse("days:public-register", args=[link.token])
    assert "has closed" in client.get(url).content.decode()
    response = client.post(url, registration_form())
    assert response.status_code == 409 and not Registration.objects.exists()
    from programs.days.services.days import cancel_day

    cancel_day(day=day, actor=organiser)
    assert "has been cancelled" in client.get(url).content.decode()


def test_cancelling_from_the_manage_link_promotes_the_waitlist(client, day, link):
    first = registered(link, party_size=4)
    registered(link, party_size=2)
    waiting = registered(link, party_size=3)
    manage = reverse("days:registration-manage", args=[first.manage_token])
    response = client.post(
        reverse("days:registration-cancel", args=[first.manage_token]), follow=True
    )
    assert response.redirect_chain[-1][0] == manage
    assert "cancelled" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    again = client.post(reverse("days:registration-cancel", args=[first.manage_token]), follow=True)
    assert "already cancelled" in again.content.decode()


def test_a_manage_link_opens_only_its_own_registration(client, day, link):
    mine = registered(link, name="Mine Person")
    theirs = registered(link, name="Their Person")
    html = client.get(
        reverse("days:registration-manage", args=[mine.manage_token])
    ).content.decode()
    assert "Mine Person" in html and "Their Person" not in html
    assert client.get(reverse("days:registration-manage", args=["x" * 43])).status_code == 404
    client.post(reverse("days:registration-cancel", args=[mine.manage_token]))
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_the_calendar_file_and_qr_code(client, day, link):
    guest = registered(link)
    ics = client.get(reverse("days:registration-ics", args=[guest.manage_token]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Summer Appreciation Day" in ics.content
    qr = client.get(reverse("days:registration-qr", args=[guest.manage_token]))
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<svg")


def test_a_checked_in_or_cancelled_registration_offers_no_cancel(client, day, link, organiser):
    guest = registered(link)
    check_in_registration(registration=guest, actor=organiser)
    html = client.get(
        reverse("days:registration-manage", args=[guest.manage_token])
    ).content.decode()
    assert "Cancel my registration" not in html and "Checked in" in html
    other = registered(link)
    cancel_registration(registration=other)
    html = client.get(
        reverse("days:registration-manage", args=[other.manage_token])
    ).content.decode()
    assert "This registration is cancelled" in html and "Cancel my registration" not in html


def test_the_public_pages_are_throttled_per_address_whatever_x_forwarded_for_says(
    client, day, link, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public": "3/min",
        },
    }
    url = reverse("days:public-register", args=[link.token])
    answers = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="198.51.100.7")
        for n in range(5)
    ]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
    other = client.get(url, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200


# Navigation


def test_everyone_sees_appreciation_days_and_organisers_also_organise(client, agent, organiser):
    client.force_login(agent)
    html = client.get(reverse("home")).content.decode()
    assert "Appreciation days" in html and "Organise days" not in html
    client.force_login(organiser)
    html = client.get(reverse("home")).content.decode()
    assert "Organise days" in html


@pytest.mark.parametrize("url_name", ["day-manage", "day-door", "organise-days", "my-shifts"])
def test_organiser_and_staff_pages_take_the_same_queries_small_or_large(
    client, organiser, day, link, url_name
):
    from programs.days.services.days import update_day

    update_day(day=day, actor=organiser, capacity=500)

    hours = iter(range(100))

    def grow(n: int) -> None:
        for hour in itertools.islice(hours, n):
            # Quarter-hour shifts, one after another, all inside the six-hour day.
            shift = added_shift(
                day, organiser, hours=(hour / 4, (hour + 1) / 4), role=f"Role {hour}"
            )
            sign_up_for_shift(shift=shift, user=UserFactory())
            sign_up_for_shift(shift=shift, user=organiser)
            created_invitation(day, organiser, label=f"Link {hour}")
            registered(link, name=f"Ann {hour}")
            appreciation_day(organiser, title=f"Other {hour}")

    args = [] if url_name in ("organise-days", "my-shifts") else [day.pk]
    url = reverse(f"days:{url_name}", args=args) + ("?q=ann" if url_name == "day-door" else "")
    client.force_login(organiser)
    grow(2)
    few = page_queries(client, url)
    grow(15)
    assert_same_query_count(few, page_queries(client, url))


def test_a_huge_id_in_a_page_address_is_404_not_500(client, organiser, agent):
    huge = 2**70
    client.force_login(organiser)
    assert client.get(reverse("days:day-manage", args=[huge])).status_code == 404
    assert client.post(reverse("days:invitation-revoke", args=[huge])).status_code == 404
    assert client.post(reverse("days:registration-check-in", args=[huge])).status_code == 404
    client.force_login(agent)
    assert client.get(reverse("days:day-detail", args=[huge])).status_code == 404
    assert client.post(reverse("days:shift-signup", args=[huge])).status_code == 404
    assert client.get(reverse("days:shift-ics", args=[huge])).status_code == 404


def test_a_days_shifts_are_paginated_for_staff_and_organisers(client, organiser, agent):
    from django.urls import reverse

    from tests.factories import added_shift, appreciation_day

    day = appreciation_day(organiser)
    for n in range(30):
        added_shift(day, organiser, role=f"Role {n:02d}")
    for person, url in (
        (agent, reverse("days:day-detail", args=[day.pk])),
        (organiser, reverse("days:day-manage", args=[day.pk])),
    ):
        client.force_login(person)
        first = client.get(url).content.decode()
        assert "Role 24" in first and "Role 25" not in first
        assert "shifts_page=2" in first
        assert "Role 25" in client.get(url, {"shifts_page": 2}).content.decode()


# A shift on its day's date; a party no larger than the day's seats


def test_a_shift_on_another_date_is_refused_beside_its_times(client, organiser, day):
    client.force_login(organiser)
    next_week = day.starts_at + timedelta(days=7)

    response = client.post(
        reverse("days:day-shift-add", args=[day.pk]),
        {
            "role": "Host",
            "starts_at": datetime_local(next_week),
            "ends_at": datetime_local(next_week + timedelta(hours=2)),
            "capacity": "3",
        },
    )

    html = response.content.decode()
    errors = html.split('id="id_ends_at_error"', 1)[1].split("</ul>", 1)[0]
    assert "The day is on" in errors and "end the shift by midnight after it" in errors
    assert not day.shifts.exists()


def test_editing_a_day_keeps_its_shifts_and_its_parties_within_it(client, organiser, day):
    added_shift(day, organiser, hours=(0, 2), role="Greeter")
    client.force_login(organiser)
    url = reverse("days:day-edit", args=[day.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[name] = datetime_local(getattr(day, name))

    moved = client.post(
        url,
        {
            **data,
            "starts_at": datetime_local(day.starts_at + timedelta(days=3)),
            "ends_at": datetime_local(day.ends_at + timedelta(days=3)),
            "registration_closes_at": "",
        },
    )
    crowded = client.post(url, {**data, "capacity": "3"})

    assert "The Greeter shift starts at" in moved.content.decode()
    errors = crowded.content.decode().split('id="id_max_party_size_error"', 1)[1]
    assert "A party cannot be larger than the day" in errors.split("</ul>", 1)[0]
    day.refresh_from_db()
    assert (day.capacity, day.max_party_size) == (6, 4)
    assert AppreciationDay.objects.get(pk=day.pk).starts_at == day.starts_at
