"""The registrations service in detail: what registering, cancelling, a promotion and a check-in
write to the audit trail and queue for the customer, the wording of each refusal, both sides of
every time boundary, and everything anonymising erases (and leaves alone)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.errors import Conflict, InvalidInput, NotFound, NotPermitted
from portal.formatting import day_label
from programs.audit.models import AuditEntry
from programs.days.models import Registration
from programs.days.notices import when
from programs.days.services.days import cancel_day, complete_day
from programs.days.services.registrations import (
    LINK_GONE,
    AnonymiseReport,
    anonymise_registrations,
    cancel_registration,
    check_in_registration,
    register_customer,
)
from programs.notifications.models import Notification
from tests.factories import appreciation_day, created_invitation, registered, registration_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(organiser):
    return appreciation_day(organiser, capacity=10)


def entry(action: str, subject) -> AuditEntry:
    [found] = AuditEntry.objects.filter(
        action=action, subject_type=subject._meta.model_name, subject_id=str(subject.pk)
    )
    return found


def queued(kind: str, registration: Registration) -> Notification:
    return Notification.objects.get(
        kind=kind, subject_type="registration", subject_id=str(registration.pk)
    )


def day_at(organiser, starts_at: datetime, hours: int, **overrides):
    return appreciation_day(
        organiser,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        registration_closes_at=overrides.pop("registration_closes_at", starts_at),
        **overrides,
    )


# Registering


def test_each_registration_is_audited_with_its_status_place_and_the_seats_it_took(day, link):
    registered(link, party_size=4)
    second = register_customer(**registration_input(link.token, party_size=3)).registration
    third = register_customer(
        **registration_input(link.token, party_size=3)
    ).registration  # 10 of 10
    waiting = register_customer(**registration_input(link.token, party_size=2)).registration

    expected = {"day": day.pk, "invitation": link.pk}
    assert entry("registration.created", second).data == {
        **expected,
        "party_size": 3,
        "status": "confirmed",
        "position": None,
        "seats_taken": {"before": 4, "after": 7},
    }
    assert entry("registration.created", third).data["seats_taken"] == {"before": 7, "after": 10}
    waited = entry("registration.created", waiting)
    assert waited.actor is None
    assert waited.data == {
        **expected,
        "party_size": 2,
        "status": "waitlisted",
        "position": 1,
        "seats_taken": {"before": 10, "after": 10},
    }


def test_a_registration_keeps_its_link_its_needs_and_long_random_tokens(link):
    outcome = register_customer(
        **registration_input(
            link.token,
            accessibility_needs="Step-free access,\nplease.",
            dietary_needs="Vegan;\nno nuts.",
        )
    )
    plain = register_customer(**registration_input(link.token)).registration

    kept = Registration.objects.get(pk=outcome.registration.pk)
    assert kept.invitation == link
    assert (kept.accessibility_needs, kept.dietary_needs) == (
        "Step-free access,\nplease.",
        "Vegan;\nno nuts.",
    )
    # 256 random bits for the private link; 96 for the code its QR code carries to the door.
    assert (len(kept.manage_token), len(kept.checkin_code)) == (43, 16)
    assert (plain.accessibility_needs, plain.dietary_needs) == ("", "")


def test_every_registration_through_a_link_counts_as_one_use_of_it(link):
    for _ in range(3):
        registered(link)

    link.refresh_from_db()
    assert link.uses == 3


def test_the_same_address_again_is_told_its_existing_place_on_the_waitlist(day, link):
    registered(link, party_size=4)
    registered(link, party_size=4)
    first = register_customer(
        **registration_input(link.token, email="wes@customer.test", party_size=4)
    )
    again = register_customer(
        **registration_input(link.token, email="WES@customer.test", party_size=1)
    )

    assert (first.status, first.position) == ("waitlisted", 1)
    assert again.created is False
    assert (again.registration.pk, again.status, again.position) == (
        first.registration.pk,
        "waitlisted",
        1,
    )


def test_the_customer_is_sent_their_private_link_and_the_days_details(day, link):
    confirmed = register_customer(
        **registration_input(link.token, name="Flo First", email="flo@customer.test", party_size=4)
    ).registration
    registered(link, party_size=4)
    waiting = register_customer(
        **registration_input(
            link.token, name="Wes Waiting", email="wes@customer.test", party_size=3
        )
    ).registration
    details = {
        "day_title": day.title,
        "when": when(day),
        "venue": day.venue,
        "online_link": day.online_link,
    }

    told = queued("registration_confirmed", confirmed)
    assert (told.email, told.recipient) == ("flo@customer.test", None)
    assert told.title == f"You’re registered for {day.title}"
    assert told.link == reverse("days:registration-manage", args=[confirmed.manage_token])
    assert told.context == {**details, "name": "Flo First", "party_size": 4, "position": None}
    told = queued("registration_waitlisted", waiting)
    assert told.email == "wes@customer.test"
    assert told.title == f"You’re on the waitlist for {day.title}"
    assert told.context == {**details, "name": "Wes Waiting", "party_size": 3, "position": 1}


def test_messages_give_the_days_date_and_hours_in_the_portals_time_zone(organiser):
    local = timezone.get_current_timezone()
    morning = datetime(2030, 6, 15, 10, 0, tzinfo=local)
    evening = datetime(2030, 6, 15, 20, 0, tzinfo=local)

    assert when(day_at(organiser, morning, 6)) == "Saturday 15 June 2030, 10:00 to 16:00"
    assert when(day_at(organiser, evening, 5)) == (
        "Saturday 15 June 2030, 20:00 to 16 June 2030 01:00"
    )


def test_a_link_that_does_not_work_says_so_without_saying_why(link):
    with pytest.raises(NotFound) as caught:
        register_customer(**registration_input("x" * 43))

    assert caught.value.message == LINK_GONE


def test_registration_opens_and_closes_at_the_exact_moments_set(organiser):
    # Opening two hours from now, so that its time is not the clock's.
    opens_at = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    day = appreciation_day(organiser, registration_opens_at=opens_at)
    link = created_invitation(day, organiser)
    moment = timedelta(microseconds=1)

    with pytest.raises(Conflict) as early:
        register_customer(**registration_input(link.token), now=opens_at - moment)
    local = timezone.localtime(opens_at)
    assert early.value.message == (
        f"Registration for {day.title} opens on {day_label(local.date())} at {local:%H:%M}."
    )
    assert register_customer(**registration_input(link.token), now=opens_at).created
    assert register_customer(
        **registration_input(link.token), now=day.registration_closes_at
    ).created
    with pytest.raises(Conflict) as late:
        register_customer(**registration_input(link.token), now=day.registration_closes_at + moment)
    assert late.value.message == f"Registration for {day.title} has closed."


def test_a_day_takes_no_registrations_from_the_moment_it_ends(organiser):
    starts = (timezone.now() + timedelta(days=21)).replace(microsecond=0)
    day = day_at(organiser, starts, 6, registration_closes_at=starts + timedelta(hours=6))
    link = created_invitation(day, organiser)

    assert register_customer(
        **registration_input(link.token), now=day.ends_at - timedelta(microseconds=1)
    )
    with pytest.raises(Conflict) as caught:
        register_customer(**registration_input(link.token), now=day.ends_at)
    assert caught.value.message == f"{day.title} is not taking registrations."


def test_a_draft_day_is_not_taking_registrations(organiser):
    draft = appreciation_day(organiser, publish=False, title="Spring Day")

    with pytest.raises(Conflict) as caught:
        register_customer(**registration_input(created_invitation(draft, organiser).token))

    assert caught.value.message == "Spring Day is not taking registrations."


@pytest.mark.parametrize(("field", "longest"), [("name", 150), ("accessibility_needs", 1000)])
def test_a_typed_field_takes_up_to_its_limit_and_no_more(link, field, longest):
    assert register_customer(**registration_input(link.token, **{field: "x" * longest})).created

    with pytest.raises(InvalidInput) as caught:
        register_customer(**registration_input(link.token, **{field: "x" * (longest + 1)}))

    assert caught.value.field_errors == {
        field: [f"Keep this to {longest} characters or fewer (it has {longest + 1})."]
    }


def test_dietary_needs_take_up_to_1000_characters(link):
    assert register_customer(**registration_input(link.token, dietary_needs="x" * 1000)).created

    with pytest.raises(InvalidInput) as caught:
        register_customer(**registration_input(link.token, dietary_needs="x" * 1001))

    assert caught.value.field_errors == {
        "dietary_needs": ["Keep this to 1000 characters or fewer (it has 1001)."]
    }


def test_without_consent_the_customer_is_asked_to_tick_the_box(link):
    with pytest.raises(InvalidInput) as caught:
        register_customer(**registration_input(link.token, consent=False))

    assert caught.value.field_errors == {
        "consent": ["Tick the box to agree, so that we may keep your details."]
    }


# Cancelling and promotion


def test_a_cancellation_and_the_promotions_it_makes_are_audited_seat_by_seat(day, link, organiser):
    leaving = registered(link, party_size=3)
    registered(link, party_size=4)
    registered(link, party_size=3)  # 10 of 10
    two = registered(link, party_size=2)
    one = registered(link, party_size=1)
    now = timezone.now()

    promoted = cancel_registration(registration=leaving, actor=organiser, now=now)

    # 3 seats free: the party of 2, then the party of 1 in the seat left.
    assert [r.pk for r in promoted] == [two.pk, one.pk]
    assert (leaving.status, leaving.cancelled_at) == ("cancelled", now)
    cancelled = entry("registration.cancelled", leaving)
    assert cancelled.actor == organiser
    assert cancelled.data == {
        "day": day.pk,
        "was": "confirmed",
        "party_size": 3,
        "by": "organiser",
        "seats_taken": {"before": 10, "after": 7},
    }
    first, second = entry("registration.promoted", two), entry("registration.promoted", one)
    assert (first.actor, second.actor) == (organiser, organiser)
    assert first.data == {"day": day.pk, "party_size": 2, "seats_taken": {"before": 7, "after": 9}}
    assert second.data == {
        "day": day.pk,
        "party_size": 1,
        "seats_taken": {"before": 9, "after": 10},
    }
    assert first.seq < second.seq
    for registration in (two, one):
        registration.refresh_from_db()
        assert (registration.status, registration.promoted_at) == ("confirmed", now)


def test_a_single_freed_seat_goes_to_a_waiting_party_of_one(day, link):
    registered(link, party_size=4)
    registered(link, party_size=4)
    registered(link, party_size=1)
    single = registered(link, party_size=1)  # 10 of 10
    waiting = registered(link, party_size=1)

    promoted = cancel_registration(registration=single)

    assert [r.pk for r in promoted] == [waiting.pk]
    cancelled = entry("registration.cancelled", single)
    assert cancelled.actor is None
    assert cancelled.data == {
        "day": day.pk,
        "was": "confirmed",
        "party_size": 1,
        "by": "customer",
        "seats_taken": {"before": 10, "after": 9},
    }
    promotion = entry("registration.promoted", waiting)
    assert promotion.actor is None
    assert promotion.data["seats_taken"] == {"before": 9, "after": 10}


def test_a_cancellation_that_cannot_be_made_says_why(day, link, organiser, agent):
    guest = registered(link)
    with pytest.raises(NotPermitted) as caught:
        cancel_registration(registration=guest, actor=agent)
    assert caught.value.message == "Only the day's organisers may cancel someone's registration."

    cancel_registration(registration=guest)
    with pytest.raises(Conflict) as caught:
        cancel_registration(registration=guest)
    assert caught.value.message == "This registration is already cancelled."

    arrived = registered(link)
    check_in_registration(registration=arrived, actor=organiser)
    with pytest.raises(Conflict) as caught:
        cancel_registration(registration=arrived)
    assert caught.value.message == "This party has already been checked in at the door."


def test_a_registration_cannot_be_cancelled_once_the_day_is_completed(day, link, organiser):
    guest = registered(link)
    during = day.starts_at + timedelta(hours=1)
    complete_day(day=day, actor=organiser, now=during)

    with pytest.raises(Conflict) as caught:
        cancel_registration(registration=guest, now=during)

    assert caught.value.message == "The day is completed; its registrations can no longer change."


def test_a_registration_can_be_cancelled_until_the_moment_the_day_ends(day, link):
    late, too_late = registered(link), registered(link)

    cancel_registration(registration=late, now=day.ends_at - timedelta(microseconds=1))
    with pytest.raises(Conflict) as caught:
        cancel_registration(registration=too_late, now=day.ends_at)

    assert caught.value.message == "The day is over; its registrations can no longer change."
    too_late.refresh_from_db()
    assert too_late.status == "confirmed"


# At the door


def test_check_in_is_audited_and_a_second_one_says_when_the_first_was(day, link, organiser):
    guest = registered(link, name="Flo First", party_size=3)
    at = day.starts_at + timedelta(minutes=7)

    check_in_registration(registration=guest, actor=organiser, now=at)

    checked = entry("registration.checked_in", guest)
    assert checked.actor == organiser
    assert checked.data == {"day": day.pk, "party_size": 3}
    with pytest.raises(Conflict) as caught:
        check_in_registration(registration=guest, actor=organiser, now=at + timedelta(minutes=1))
    assert caught.value.message == (
        f"Flo First was already checked in at {timezone.localtime(at):%H:%M}."
    )


def test_a_check_in_that_cannot_be_made_says_why(day, link, organiser, agent):
    guest = registered(link)
    with pytest.raises(NotPermitted) as caught:
        check_in_registration(registration=guest, actor=agent)
    assert caught.value.message == "Only the day's organisers check people in."

    cancel_day(day=day, actor=organiser)
    with pytest.raises(Conflict) as caught:
        check_in_registration(registration=guest, actor=organiser)
    assert caught.value.message == "The day is cancelled; nobody can be checked in."


# Retention


def test_anonymising_erases_every_detail_and_every_address_in_the_messages_sent(
    day, link, organiser
):
    guests = [
        registered(link, accessibility_needs="Step-free access", dietary_needs="Vegan")
        for _ in range(3)
    ]
    next_day = day.starts_at + timedelta(days=1)
    second = day_at(organiser, next_day, 6, registration_closes_at=next_day)
    guests.append(registered(created_invitation(second, organiser)))
    # A day two months later, still inside the retention period.
    recent = day.starts_at + timedelta(days=60)
    kept = registered(
        created_invitation(day_at(organiser, recent, 6), organiser), email="kept@customer.test"
    )
    # A message about something else that happens to carry a registration's id.
    unrelated = Notification.objects.create(
        key="other:1",
        kind="day_cancelled",
        email="staff@example.test",
        subject_type="appreciationday",
        subject_id=str(guests[0].pk),
        title="About a day",
        context={"note": "kept"},
    )

    report = anonymise_registrations(older_than_days=90, now=second.ends_at + timedelta(days=91))

    assert report == AnonymiseReport(days=2, registrations=4)
    for guest in guests:
        guest.refresh_from_db()
        assert (guest.name, guest.email, guest.accessibility_needs, guest.dietary_needs) == (
            "Anonymised",
            f"anonymised-{guest.pk}@invalid.invalid",
            "",
            "",
        )
        [sent] = Notification.objects.filter(subject_type="registration", subject_id=str(guest.pk))
        assert (sent.email, sent.context, sent.key) == (
            "anonymised@invalid.invalid",
            {},
            f"anonymised:{sent.pk}",
        )
    untouched = queued("registration_confirmed", kept)
    assert untouched.email == "kept@customer.test" and untouched.context["name"] == kept.name
    unrelated.refresh_from_db()
    assert (unrelated.email, unrelated.key, unrelated.context) == (
        "staff@example.test",
        "other:1",
        {"note": "kept"},
    )
    erased = entry("registrations.anonymised", day)
    assert erased.actor is None
    assert erased.data == {"registrations": 3, "older_than_days": 90}
    assert entry("registrations.anonymised", second).data["registrations"] == 1
