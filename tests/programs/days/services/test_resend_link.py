"""Sending a customer's private link again: to the address only, through the outbox, for that
link's day only; an active registration gets its link, a cancelled one is told how to register
again, and nothing at all goes out for an address with no registration."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.errors import InvalidInput
from programs.days.notices import when
from programs.days.services.days import cancel_day, revoke_invitation, update_day
from programs.days.services.registrations import (
    cancel_registration,
    check_in_registration,
    resend_registration_link,
)
from programs.notifications.delivery import build_message
from programs.notifications.models import DeliveryStatus, Notification
from tests.factories import appreciation_day, created_invitation, registered

pytestmark = pytest.mark.django_db

KIND = "registration_link_resent"


def resent() -> list[Notification]:
    return list(Notification.objects.filter(kind=KIND).order_by("pk"))


def body(notification: Notification) -> str:
    return build_message(notification).body


def test_an_active_registration_gets_its_private_link_again_through_the_outbox(
    link, django_capture_on_commit_callbacks
):
    guest = registered(link, name="Rosa Diaz", email="rosa@customer.test", party_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        about = resend_registration_link(token=link.token, email="rosa@customer.test")
    assert about.pk == guest.pk
    [notification] = resent()
    manage = reverse("days:registration-manage", args=[guest.manage_token])
    assert notification.email == "rosa@customer.test" and notification.link == manage
    assert notification.title == "Your private link for Summer Appreciation Day"
    assert manage in body(notification) and "has a confirmed place" in body(notification)
    # Sent once the change commits, by the outbox's worker (inline in tests), to that address.
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox if m.subject.endswith(notification.title)] == [
        ["rosa@customer.test"]
    ]


def test_the_address_is_matched_whatever_its_case(link):
    guest = registered(link, email="rosa@customer.test")
    assert resend_registration_link(token=link.token, email=" ROSA@Customer.Test ").pk == guest.pk


def test_a_waiting_party_is_told_its_place_with_the_link(link):
    registered(link, party_size=3)
    registered(link, party_size=3)
    waiting = registered(link, email="sam@customer.test", party_size=2)
    resend_registration_link(token=link.token, email="sam@customer.test")
    [notification] = resent()
    assert notification.link.endswith(f"/r/{waiting.manage_token}/")
    assert "is on the waitlist, at place 1" in body(notification)


def test_a_checked_in_party_is_told_so(link, organiser):
    guest = registered(link, email="rosa@customer.test")
    check_in_registration(registration=guest, actor=organiser)
    resend_registration_link(token=link.token, email="rosa@customer.test")
    assert "has been checked in" in body(resent()[0])


def test_an_active_registration_is_sent_even_beside_an_older_cancelled_one(link):
    old = registered(link, email="rosa@customer.test")
    cancel_registration(registration=old)
    again = registered(link, email="rosa@customer.test")
    assert resend_registration_link(token=link.token, email="rosa@customer.test").pk == again.pk
    assert resent()[0].link.endswith(f"/r/{again.manage_token}/")


def test_only_cancelled_registrations_get_no_private_link_but_how_to_register_again(link):
    """The choice for cancelled registrations: a cancelled one cannot be changed, so its private
    link is not sent; the mail says when it was cancelled and, while the invitation link admits
    people, that they can register again through it."""
    guest = registered(link, email="rosa@customer.test", party_size=2)
    cancel_registration(registration=guest)
    resend_registration_link(token=link.token, email="rosa@customer.test")
    [notification] = resent()
    text = body(notification)
    guest.refresh_from_db()
    when = timezone.localtime(guest.cancelled_at)
    assert notification.title == "Your registration for Summer Appreciation Day was cancelled"
    assert f"was cancelled on {when:%-d %B %Y, %H:%M}" in text
    assert guest.manage_token not in text
    assert notification.link == reverse("days:public-register", args=[link.token])
    assert "register again with the same invitation link" in text


def test_a_cancelled_registration_whose_link_no_longer_admits_anyone_is_told_whom_to_ask(
    link, organiser
):
    guest = registered(link, email="rosa@customer.test")
    cancel_registration(registration=guest)
    revoke_invitation(invitation=link, actor=organiser)
    resend_registration_link(token=link.token, email="rosa@customer.test")
    [notification] = resent()
    assert notification.link == ""
    assert "ask the person who invited you" in body(notification)
    assert link.token not in body(notification)


def test_a_revoked_link_still_sends_the_links_of_the_registrations_made_through_it(link, organiser):
    guest = registered(link, email="rosa@customer.test")
    revoke_invitation(invitation=link, actor=organiser)
    assert resend_registration_link(token=link.token, email="rosa@customer.test").pk == guest.pk


def test_a_registration_through_another_link_of_the_same_day_is_sent(day, link, organiser):
    other_link = created_invitation(day, organiser, label="Posters")
    guest = registered(other_link, email="rosa@customer.test")
    assert resend_registration_link(token=link.token, email="rosa@customer.test").pk == guest.pk


def test_nothing_is_sent_for_another_days_registration(link, organiser):
    other = created_invitation(appreciation_day(organiser, title="Winter Day"), organiser)
    registered(other, email="rosa@customer.test")
    assert resend_registration_link(token=link.token, email="rosa@customer.test") is None
    assert resent() == []


def test_nothing_is_sent_for_an_unknown_address_or_link(link):
    registered(link, email="rosa@customer.test")
    assert resend_registration_link(token=link.token, email="nobody@customer.test") is None
    assert resend_registration_link(token="x" * 43, email="rosa@customer.test") is None
    assert resend_registration_link(token="not a token", email="rosa@customer.test") is None
    assert resent() == []


@pytest.mark.parametrize("state", ["cancelled", "over"])
def test_nothing_is_sent_once_the_day_is_cancelled_or_over(day, link, organiser, state):
    registered(link, email="rosa@customer.test")
    now = None
    if state == "cancelled":
        cancel_day(day=day, actor=organiser)
    else:
        now = day.ends_at + timedelta(minutes=1)
    assert resend_registration_link(token=link.token, email="rosa@customer.test", now=now) is None
    assert resent() == []


def test_registration_closed_still_sends_an_active_registrations_link(day, link, organiser):
    registered(link, email="rosa@customer.test")
    update_day(day=day, actor=organiser, registration_closes_at=timezone.now() + timedelta(hours=1))
    later = timezone.now() + timedelta(hours=2)
    assert resend_registration_link(token=link.token, email="rosa@customer.test", now=later)


def test_asking_again_sends_again(link):
    registered(link, email="rosa@customer.test")
    first = timezone.now()
    resend_registration_link(token=link.token, email="rosa@customer.test", now=first)
    resend_registration_link(
        token=link.token, email="rosa@customer.test", now=first + timedelta(seconds=1)
    )
    assert len(resent()) == 2


def test_an_address_that_is_not_one_is_refused(link):
    with pytest.raises(InvalidInput) as refused:
        resend_registration_link(token=link.token, email="rosa at customer")
    assert "email" in refused.value.field_errors


def test_the_resent_mail_carries_the_registrations_and_the_days_details(day, link):
    registered(link, name="Rosa Diaz", email="rosa@customer.test", party_size=2)

    resend_registration_link(token=link.token, email="rosa@customer.test")

    [notification] = resent()
    assert notification.context == {
        "name": "Rosa Diaz",
        "day_title": "Summer Appreciation Day",
        "when": when(day),
        "venue": day.venue,
        "online_link": day.online_link,
        "party_size": 2,
        "status": "confirmed",
        "position": None,
        "checked_in": False,
        "cancelled_at": None,
    }


def test_the_link_is_resent_until_the_moment_the_day_ends(day, link):
    registered(link, email="rosa@customer.test")
    just_before = day.ends_at - timedelta(microseconds=1)

    assert resend_registration_link(token=link.token, email="rosa@customer.test", now=just_before)
    assert (
        resend_registration_link(token=link.token, email="rosa@customer.test", now=day.ends_at)
        is None
    )
    assert len(resent()) == 1


def test_a_cancelled_registration_is_offered_an_expiring_link_only_until_it_expires(day, organiser):
    expires_at = timezone.now() + timedelta(days=2)
    expiring = created_invitation(day, organiser, expires_at=expires_at)
    cancel_registration(registration=registered(expiring, email="rosa@customer.test"))

    resend_registration_link(token=expiring.token, email="rosa@customer.test")
    resend_registration_link(
        token=expiring.token, email="rosa@customer.test", now=expires_at + timedelta(minutes=1)
    )

    before, after = resent()
    assert before.link == reverse("days:public-register", args=[expiring.token])
    assert after.link == ""
