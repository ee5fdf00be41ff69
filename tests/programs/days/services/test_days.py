"""Appreciation days through their services: the day's life, invitation links, registrations,
the waitlist, check-in, shifts and retention, each with the audit entry it writes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import RoleName
from portal.errors import Conflict, InvalidInput, NotFound, NotPermitted
from portal.formatting import clock
from programs.audit.models import AuditEntry
from programs.audit.trail import verify_chain
from programs.days.models import (
    AppreciationDay,
    DayStatus,
    Invitation,
    Registration,
    RegistrationStatus,
    Shift,
    ShiftSignup,
)
from programs.days.services import registrations as service
from programs.days.services.days import (
    add_organiser,
    cancel_day,
    complete_day,
    create_day,
    create_invitation,
    publish_day,
    revoke_invitation,
    update_day,
)
from programs.days.services.registrations import (
    anonymise_registrations,
    cancel_registration,
    check_in_registration,
    register_customer,
)
from programs.days.services.shifts import leave_shift, sign_up_for_shift
from programs.notifications.models import Notification
from tests.factories import (
    UserFactory,
    added_shift,
    appreciation_day,
    created_invitation,
    day_input,
    grant,
    registered,
    registration_input,
)

pytestmark = pytest.mark.django_db


def entries(action: str, subject) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, subject_type=subject._meta.model_name, subject_id=str(subject.pk)
        )
    )


def assert_seats_add_up(day: AppreciationDay) -> None:
    day.refresh_from_db()
    confirmed = day.registrations.confirmed().aggregate(n=Sum("party_size"))["n"] or 0
    assert day.seats_taken == confirmed
    assert day.seats_taken <= day.capacity


@pytest.fixture
def day(organiser):
    return appreciation_day(organiser, capacity=10)


# The day's life


def test_an_organiser_drafts_a_day_and_organises_it(organiser):
    day = create_day(actor=organiser, **day_input())
    assert day.status == DayStatus.DRAFT
    assert list(day.organisers.all()) == [organiser]
    [entry] = entries("day.created", day)
    assert entry.actor == organiser and entry.data["capacity"] == 20


def test_only_organisers_and_admins_create_days(agent, admin_user):
    with pytest.raises(NotPermitted):
        create_day(actor=agent, **day_input())
    assert create_day(actor=admin_user, **day_input()).pk


def test_bad_day_input_names_every_field_at_once(organiser):
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(InvalidInput) as caught:
        create_day(
            actor=organiser,
            **day_input(
                title="",
                capacity=-1,
                max_party_size=0,
                starts_at=starts,
                ends_at=starts - timedelta(hours=1),
                venue="",
                online_link="javascript:alert(1)",
            ),
        )
    assert set(caught.value.field_errors) >= {
        "title",
        "capacity",
        "max_party_size",
        "ends_at",
        "online_link",
    }
    assert AppreciationDay.objects.count() == 0


def test_registration_cannot_close_after_the_day_ends(organiser):
    values = day_input()
    values["registration_closes_at"] = values["ends_at"] + timedelta(hours=1)
    with pytest.raises(InvalidInput) as caught:
        create_day(actor=organiser, **values)
    assert "registration_closes_at" in caught.value.field_errors


def test_publish_cancel_and_complete_follow_the_life_of_a_day(organiser):
    day = create_day(actor=organiser, **day_input())
    day = publish_day(day=day, actor=organiser)
    assert day.status == DayStatus.PUBLISHED and entries("day.published", day)
    with pytest.raises(Conflict):
        publish_day(day=day, actor=organiser)
    with pytest.raises(Conflict, match="begun"):
        complete_day(day=day, actor=organiser)
    later = day.starts_at + timedelta(hours=1)
    day = complete_day(day=day, actor=organiser, now=later)
    assert day.status == DayStatus.COMPLETED and entries("day.completed", day)
    with pytest.raises(Conflict):
        cancel_day(day=day, actor=organiser)


def test_another_organiser_cannot_run_someone_elses_day_until_added(day, organiser):
    colleague = grant(UserFactory(), RoleName.ORGANISER)
    with pytest.raises(NotPermitted):
        cancel_day(day=day, actor=colleague)
    add_organiser(day=day, actor=organiser, person=colleague)
    assert entries("day.organiser_added", day)
    cancel_day(day=day, actor=colleague)


def test_cancelling_a_day_tells_its_customers_and_staff(day, link, organiser, agent):
    guest = registered(link)
    shift = added_shift(day, organiser)
    sign_up_for_shift(shift=shift, user=agent)
    cancel_day(day=day, actor=organiser, reason="The venue flooded.")
    told = set(Notification.objects.filter(kind="day_cancelled").values_list("email", flat=True))
    assert told == {guest.email, agent.email}
    [entry] = entries("day.cancelled", day)
    assert entry.data["reason"] == "The venue flooded."


def test_capacity_never_drops_below_confirmed_seats(day, link, organiser):
    registered(link, party_size=4)
    registered(link, party_size=4)
    with pytest.raises(InvalidInput) as caught:
        update_day(day=day, actor=organiser, capacity=7)
    assert "capacity" in caught.value.field_errors
    update_day(day=day, actor=organiser, capacity=8)
    assert_seats_add_up(day)


def test_more_capacity_promotes_the_waitlist(day, link, organiser):
    registered(link, party_size=4)
    registered(link, party_size=4)
    waiting = registered(link, party_size=3)
    assert waiting.status == RegistrationStatus.WAITLISTED
    update_day(day=day, actor=organiser, capacity=11)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [e.data["promoted"] for e in entries("day.updated", day)] == [[waiting.pk]]
    assert_seats_add_up(day)


# Invitation links


def test_tokens_are_long_random_and_unique(day, organiser):
    links = [created_invitation(day, organiser, label=f"L{n}") for n in range(20)]
    tokens = {link.token for link in links}
    assert len(tokens) == 20
    # token_urlsafe(32): 43 characters of 6 bits each, at least 128 bits (here 256).
    assert all(len(token) >= 43 for token in tokens)
    assert entries("invitation.created", links[0])


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "used up"])
def test_a_link_that_does_not_work_is_not_found(day, organiser, state):
    now = timezone.now()
    link = created_invitation(
        day, organiser, max_uses=1, expires_at=now + timedelta(hours=1) if state else None
    )
    token = link.token
    later = now
    if state == "unknown":
        token = "x" * 43
    elif state == "revoked":
        revoke_invitation(invitation=link, actor=organiser)
        assert entries("invitation.revoked", link)
    elif state == "expired":
        later = now + timedelta(hours=2)
    else:
        registered(link)
    before = Registration.objects.count()
    with pytest.raises(NotFound):
        register_customer(**registration_input(token), now=later)
    assert Registration.objects.count() == before


def test_an_invitation_needs_a_label_a_positive_limit_and_a_future_expiry(day, organiser):
    with pytest.raises(InvalidInput) as caught:
        create_invitation(
            day=day,
            actor=organiser,
            label="",
            max_uses=0,
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    assert set(caught.value.field_errors) == {"label", "max_uses", "expires_at"}


# Registering


def test_a_party_that_fits_is_confirmed_and_a_notification_queued(day, link):
    outcome = register_customer(**registration_input(link.token, party_size=3))
    assert outcome.created and outcome.status == "confirmed" and outcome.position is None
    assert len(outcome.registration.manage_token) >= 43
    assert_seats_add_up(day)
    link.refresh_from_db()
    assert link.uses == 1
    [entry] = entries("registration.created", outcome.registration)
    assert entry.actor is None and entry.data["status"] == "confirmed"
    assert outcome.registration.email not in str(entry.data)
    assert Notification.objects.filter(
        kind="registration_confirmed", email=outcome.registration.email
    ).exists()


def test_a_party_that_does_not_fit_waits_in_arrival_order(day, link):
    registered(link, party_size=4)
    registered(link, party_size=4)
    first = register_customer(**registration_input(link.token, party_size=3))
    second = register_customer(**registration_input(link.token, party_size=4))
    assert (first.status, first.position) == ("waitlisted", 1)
    assert (second.status, second.position) == ("waitlisted", 2)
    # A party of 2 still fits the 2 seats left, even with others waiting.
    small = register_customer(**registration_input(link.token, party_size=2))
    assert small.status == "confirmed"
    assert_seats_add_up(day)
    assert Notification.objects.filter(kind="registration_waitlisted").count() == 2


def test_the_same_email_twice_returns_the_existing_registration(day, link):
    first = register_customer(
        **registration_input(link.token, email="Ann@Example.com", party_size=2)
    )
    again = register_customer(
        **registration_input(link.token, email="ann@example.COM", party_size=4)
    )
    assert not again.created
    assert again.registration.pk == first.registration.pk
    assert again.registration.party_size == 2
    assert Registration.objects.filter(day=day).count() == 1
    assert_seats_add_up(day)
    assert day.seats_taken == 2


def test_after_cancelling_the_same_email_may_register_again(day, link):
    first = registered(link, email="bo@example.com")
    cancel_registration(registration=first)
    again = register_customer(**registration_input(link.token, email="BO@example.com"))
    assert again.created and again.registration.pk != first.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("email", "not-an-email"),
        ("party_size", 0),
        ("party_size", 5),
        ("party_size", "two"),
        ("consent", False),
        ("accessibility_needs", "x" * 10_000),
        ("dietary_needs", "y" * 10_000),
        ("name", "z" * 10_000),
    ],
)
def test_bad_registration_input_writes_nothing(day, link, field, value):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as caught:
        register_customer(**registration_input(link.token, **{field: value}))
    assert field in caught.value.field_errors
    assert Registration.objects.count() == 0
    assert AuditEntry.objects.count() == before
    link.refresh_from_db()
    assert link.uses == 0


def test_registration_only_while_published_and_inside_the_window(organiser):
    draft = appreciation_day(organiser, publish=False)
    link = created_invitation(draft, organiser)
    with pytest.raises(Conflict):
        register_customer(**registration_input(link.token))
    publish_day(day=draft, actor=organiser)
    with pytest.raises(Conflict, match="opens"):
        register_customer(
            **registration_input(link.token), now=draft.registration_opens_at - timedelta(1)
        )
    with pytest.raises(Conflict, match="closed"):
        register_customer(
            **registration_input(link.token),
            now=draft.registration_closes_at + timedelta(minutes=1),
        )
    cancel_day(day=draft, actor=organiser)
    with pytest.raises(Conflict, match="cancelled"):
        register_customer(**registration_input(link.token))
    assert Registration.objects.count() == 0


# Cancelling and the waitlist


def test_a_cancellation_promotes_every_waiting_party_that_now_fits_in_order(day, link):
    big = registered(link, party_size=4)
    registered(link, party_size=4)
    registered(link, party_size=2)  # 10 of 10 seats
    four = registered(link, party_size=4)
    three = registered(link, party_size=3)
    one = registered(link, party_size=1)
    also_one = registered(link, party_size=1)
    assert {r.status for r in (four, three, one, also_one)} == {"waitlisted"}

    promoted = cancel_registration(registration=big)

    # 4 seats free: the party of 4 first; nothing is left for the others.
    assert [r.pk for r in promoted] == [four.pk]
    assert_seats_add_up(day)
    [entry] = entries("registration.promoted", four)
    assert entry.data["party_size"] == 4
    assert Notification.objects.filter(kind="registration_promoted", email=four.email).exists()
    three.refresh_from_db()
    assert service.waitlist_position(three) == 1


def test_promotion_skips_a_party_too_large_and_goes_on(day, link):
    first = registered(link, party_size=3)
    registered(link, party_size=4)
    registered(link, party_size=3)  # 10 of 10
    four = registered(link, party_size=4)
    one = registered(link, party_size=1)
    two = registered(link, party_size=2)
    promoted = cancel_registration(registration=first)
    # 3 seats free: the 4 does not fit and is skipped; 1 and 2 fit, in order.
    assert [r.pk for r in promoted] == [one.pk, two.pk]
    four.refresh_from_db()
    assert four.status == "waitlisted"
    assert_seats_add_up(day)
    day.refresh_from_db()
    assert day.seats_taken == 10


def test_cancelling_a_waitlisted_registration_frees_nothing(day, link):
    registered(link, party_size=4)
    registered(link, party_size=4)
    waiting = registered(link, party_size=3)
    assert cancel_registration(registration=waiting) == []
    assert_seats_add_up(day)
    [entry] = entries("registration.cancelled", waiting)
    assert entry.data["was"] == "waitlisted"


def test_cancelling_twice_is_refused(day, link):
    guest = registered(link)
    cancel_registration(registration=guest)
    with pytest.raises(Conflict):
        cancel_registration(registration=guest)


def test_only_the_days_organisers_cancel_for_someone(day, link, agent, organiser):
    guest = registered(link)
    with pytest.raises(NotPermitted):
        cancel_registration(registration=guest, actor=agent)
    cancel_registration(registration=guest, actor=organiser)
    guest.refresh_from_db()
    assert guest.status == "cancelled"


# At the door


def test_check_in_once_and_only_when_confirmed(day, link, organiser, agent):
    registered(link, party_size=4)
    registered(link, party_size=4)
    guest = registered(link, party_size=2)
    waiting = registered(link, party_size=2)
    with pytest.raises(NotPermitted):
        check_in_registration(registration=guest, actor=agent)
    checked = check_in_registration(registration=guest, actor=organiser)
    assert checked.checked_in_at and checked.checked_in_by == organiser
    assert entries("registration.checked_in", guest)
    with pytest.raises(Conflict, match="already"):
        check_in_registration(registration=guest, actor=organiser)
    with pytest.raises(Conflict, match="confirmed"):
        check_in_registration(registration=waiting, actor=organiser)
    with pytest.raises(Conflict):
        cancel_registration(registration=guest)


# Shifts


def test_a_shift_never_holds_more_than_its_capacity(day, organiser):
    shift = added_shift(day, organiser, capacity=1)
    first, second = UserFactory(), UserFactory()
    sign_up_for_shift(shift=shift, user=first)
    with pytest.raises(Conflict, match="full"):
        sign_up_for_shift(shift=shift, user=second)
    shift.refresh_from_db()
    assert shift.taken == 1
    assert entries("shift.signed_up", shift)[0].data["person"] == first.pk


def test_nobody_holds_two_overlapping_shifts(day, organiser, agent):
    morning = added_shift(day, organiser, hours=(0, 3), role="Greeter")
    overlapping = added_shift(day, organiser, hours=(2, 4), role="Host")
    afternoon = added_shift(day, organiser, hours=(3, 5), role="Tidy-up")
    sign_up_for_shift(shift=morning, user=agent)
    with pytest.raises(Conflict, match="overlaps"):
        sign_up_for_shift(shift=overlapping, user=agent)
    sign_up_for_shift(shift=afternoon, user=agent)  # back to back is fine
    with pytest.raises(Conflict, match="already hold"):
        sign_up_for_shift(shift=morning, user=agent)
    assert ShiftSignup.objects.filter(user=agent).count() == 2


def test_leaving_a_shift_frees_the_place(day, organiser, agent):
    shift = added_shift(day, organiser, capacity=1)
    sign_up_for_shift(shift=shift, user=agent)
    leave_shift(shift=shift, user=agent)
    shift.refresh_from_db()
    assert shift.taken == 0
    assert entries("shift.left", shift)
    with pytest.raises(NotFound):
        leave_shift(shift=shift, user=agent)


def test_shifts_of_a_draft_day_are_not_open(organiser, agent):
    draft = appreciation_day(organiser, publish=False)
    shift = added_shift(draft, organiser)
    with pytest.raises(Conflict):
        sign_up_for_shift(shift=shift, user=agent)


# Retention


def test_anonymising_keeps_the_numbers_and_runs_once(day, link, organiser):
    guest = registered(link, party_size=3, accessibility_needs="Step-free access")
    check_in_registration(
        registration=guest, actor=organiser, now=day.starts_at + timedelta(minutes=5)
    )
    # A day two months later: when the first day is past retention, this one is not.
    later_start = day.starts_at + timedelta(days=60)
    recent = appreciation_day(
        organiser,
        starts_at=later_start,
        ends_at=later_start + timedelta(hours=6),
        registration_closes_at=later_start - timedelta(hours=1),
    )
    recent_guest = registered(created_invitation(recent, organiser))
    long_after = day.ends_at + timedelta(days=91)

    report = anonymise_registrations(older_than_days=90, now=long_after)

    assert report.days == 1
    assert report.registrations == 1
    guest.refresh_from_db()
    assert guest.name == "Anonymised" and "customer.test" not in guest.email
    assert guest.accessibility_needs == "" and guest.anonymised_at
    assert guest.party_size == 3 and guest.checked_in_at and guest.status == "confirmed"
    assert_seats_add_up(day)
    recent_guest.refresh_from_db()
    assert recent_guest.anonymised_at is None
    assert recent_guest.name != "Anonymised"
    sent = Notification.objects.filter(subject_type="registration", subject_id=str(guest.pk))
    assert sent.exists()
    assert not sent.filter(email__contains="customer").exists()
    assert not sent.exclude(context={}).exists()
    assert entries("registrations.anonymised", day)[0].data["registrations"] == 1

    again = anonymise_registrations(older_than_days=90, now=long_after)
    assert again.registrations == 0
    assert len(entries("registrations.anonymised", day)) == 1
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("after_retention", "erased"),
    [(timedelta(0), False), (timedelta(microseconds=1), True)],
    ids=["ended-exactly-the-retention-period-ago-is-kept", "one-moment-earlier-is-erased"],
)
def test_retention_boundary(day, link, after_retention, erased):
    guest = registered(link)
    now = day.ends_at + timedelta(days=90) + after_retention

    report = anonymise_registrations(older_than_days=90, now=now)

    guest.refresh_from_db()
    assert (guest.anonymised_at is not None) is erased
    assert report.registrations == (1 if erased else 0)


def test_the_command_uses_the_configured_retention(day, link, settings, capsys):
    guest = registered(link)
    AppreciationDay.objects.filter(pk=day.pk).update(
        starts_at=timezone.now() - timedelta(days=41),
        ends_at=timezone.now() - timedelta(days=40),
        registration_opens_at=timezone.now() - timedelta(days=60),
        registration_closes_at=timezone.now() - timedelta(days=42),
    )
    settings.REGISTRATION_RETENTION_DAYS = 90
    call_command("anonymise_registrations")
    guest.refresh_from_db()
    assert guest.anonymised_at is None
    settings.REGISTRATION_RETENTION_DAYS = 30
    call_command("anonymise_registrations")
    guest.refresh_from_db()
    assert guest.anonymised_at is not None
    assert "1 registration" in capsys.readouterr().out


def test_every_appreciation_day_action_writes_its_audit_entry(organiser, agent):
    from programs.audit.trail import AuditAction

    colleague = grant(UserFactory(), RoleName.ORGANISER)
    day = create_day(actor=organiser, **day_input(capacity=4))
    update_day(day=day, actor=organiser, title="Renamed")
    publish_day(day=day, actor=organiser)
    add_organiser(day=day, actor=organiser, person=colleague)
    shift = added_shift(day, organiser)
    sign_up_for_shift(shift=shift, user=agent)
    leave_shift(shift=shift, user=agent)
    link = created_invitation(day, organiser)
    first = registered(link, party_size=4)
    waiting = registered(link, party_size=2)
    cancel_registration(registration=first)
    check_in_registration(registration=waiting, actor=organiser, now=day.starts_at)
    revoke_invitation(invitation=link, actor=organiser)
    complete_day(day=day, actor=organiser, now=day.starts_at + timedelta(hours=1))
    other = appreciation_day(organiser)
    cancel_day(day=other, actor=organiser)
    anonymise_registrations(older_than_days=0, now=day.ends_at + timedelta(days=1))

    families = ("day.", "shift.", "invitation.", "registration.", "registrations.")
    expected = {a.value for a in AuditAction if a.value.startswith(families)}
    written = set(AuditEntry.objects.values_list("action", flat=True))
    assert expected <= written
    [created] = entries("shift.created", shift)
    assert created.data["capacity"] == 2 and created.actor == organiser
    assert verify_chain().ok


def test_the_customers_emails_are_sent_once_the_change_commits(
    day, link, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    registered(link, party_size=4)
    registered(link, party_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = registered(link, party_size=4, name="Flo First")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = registered(link, party_size=4, name="Wes Waiting")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=first)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_day(day=day, actor=organiser, reason="The venue flooded.")

    sent = {(m.to[0], m.subject.split("] ", 1)[-1]) for m in mailoutbox}
    assert (first.email, f"You’re registered for {day.title}") in sent
    assert (waiting.email, f"You’re on the waitlist for {day.title}") in sent
    assert (waiting.email, f"A place for you at {day.title}") in sent
    assert (waiting.email, f"Cancelled: {day.title}") in sent
    promoted = next(m for m in mailoutbox if m.subject.endswith(f"A place for you at {day.title}"))
    assert f"/r/{waiting.manage_token}/" in promoted.body
    assert "Hello Wes Waiting" in promoted.body
    assert "Wes Waiting" in promoted.alternatives[0][0]


# A shift on its day's date; a party no larger than the day's seats


def test_a_shift_falls_on_its_days_date(day, organiser):
    # Set-up before the doors open and clearing up after they close are on the day.
    added_shift(day, organiser, hours=(-2, 0), role="Set-up")
    added_shift(day, organiser, hours=(6, 8), role="Clear-up")
    audit_entries = AuditEntry.objects.count()
    local = timezone.localtime(day.starts_at)
    since_midnight = (local - local.replace(hour=0, minute=0)).total_seconds() / 3600

    for hours, fields in [
        (
            (-since_midnight - 1, -since_midnight + 1),
            {"starts_at"},
        ),  # from 23:00 the evening before
        ((24 - since_midnight - 1, 24 - since_midnight + 1), {"ends_at"}),  # past midnight
        ((24 * 30, 24 * 30 + 2), {"ends_at"}),  # a month later
        ((-24 * 30, -24 * 30 + 2), {"starts_at"}),  # a month before
    ]:
        with pytest.raises(InvalidInput) as caught:
            added_shift(day, organiser, hours=hours)
        assert set(caught.value.field_errors) == fields
    assert "The day is on" in caught.value.message
    assert sorted(day.shifts.values_list("role", flat=True)) == ["Clear-up", "Set-up"]
    assert AuditEntry.objects.count() == audit_entries


def test_a_day_cannot_move_away_from_its_shifts(day, organiser):
    added_shift(day, organiser, hours=(0, 2), role="Greeter")
    later = {
        "starts_at": day.starts_at + timedelta(days=1),
        "ends_at": day.ends_at + timedelta(days=1),
    }
    audit_entries = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as caught:
        update_day(day=day, actor=organiser, **later)

    [message] = caught.value.field_errors["starts_at"]
    assert message.startswith(f"The Greeter shift starts at {clock(day.starts_at)}")
    moved = AppreciationDay.objects.get(pk=day.pk)
    assert (moved.starts_at, moved.ends_at) == (day.starts_at, day.ends_at)
    assert AuditEntry.objects.count() == audit_entries
    # Later the same day is fine: the shift is still on the day's date.
    update_day(day=day, actor=organiser, ends_at=day.ends_at + timedelta(hours=1))


def test_a_party_cannot_be_larger_than_the_days_seats(organiser):
    with pytest.raises(InvalidInput) as caught:
        create_day(actor=organiser, **day_input(capacity=3, max_party_size=4))
    assert caught.value.field_errors == {
        "max_party_size": ["A party cannot be larger than the day's capacity (3 seats)."]
    }
    assert not AppreciationDay.objects.exists()

    # A day with no seats yet takes registrations onto its waitlist only.
    day = create_day(actor=organiser, **day_input(capacity=0, max_party_size=4))
    with pytest.raises(InvalidInput) as caught:
        update_day(day=day, actor=organiser, capacity=2)
    assert "max_party_size" in caught.value.field_errors
    day.refresh_from_db()
    assert (day.capacity, day.max_party_size) == (0, 4)
    update_day(day=day, actor=organiser, capacity=2, max_party_size=2)


def test_the_database_keeps_a_party_within_the_seats(day):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppreciationDay.objects.filter(pk=day.pk).update(max_party_size=day.capacity + 1)


def test_the_database_keeps_titles_roles_labels_and_names_on_one_line(day, link, organiser):
    shift = added_shift(day, organiser)
    registration = registered(link)
    for model, pk, name in [
        (AppreciationDay, day.pk, "title"),
        (Shift, shift.pk, "role"),
        (Invitation, link.pk, "label"),
        (Registration, registration.pk, "name"),
    ]:
        for bad in ("two\nlines", "carriage\rreturn", "tab\there", "escape\x1b[2J"):
            with pytest.raises(IntegrityError), transaction.atomic():
                model.objects.filter(pk=pk).update(**{name: bad})


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Summer\nDay"), ("venue", "The Mill\r\nBcc: x@example.com"), ("title", "\x00")],
)
def test_a_days_single_line_fields_refuse_line_breaks_in_the_service(organiser, field, value):
    with pytest.raises(InvalidInput) as caught:
        create_day(actor=organiser, **day_input(**{field: value}))
    assert field in caught.value.field_errors
    assert not AppreciationDay.objects.exists()


def test_times_outside_2000_to_2100_are_refused_by_the_service(day, organiser):
    far = day.starts_at.replace(year=9999)
    with pytest.raises(InvalidInput) as caught:
        create_day(actor=organiser, **day_input(starts_at=far, ends_at=far + timedelta(hours=2)))
    assert set(caught.value.field_errors) >= {"starts_at", "ends_at"}
    with pytest.raises(InvalidInput) as caught:
        create_invitation(day=day, actor=organiser, label="Later", expires_at=far)
    assert caught.value.field_errors == {"expires_at": ["Enter a date between 2000 and 2100."]}
    with pytest.raises(InvalidInput) as caught:
        added_shift(day, organiser, starts_at=far, ends_at=far + timedelta(hours=1))
    assert set(caught.value.field_errors) == {"starts_at", "ends_at"}
    assert not AppreciationDay.objects.exclude(pk=day.pk).exists()
    assert not day.shifts.exists() and day.invitations.count() == 0
