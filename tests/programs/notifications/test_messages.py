"""The e-mails themselves: every template filled from the real outbox, and headers user text
cannot break."""

import html
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from accounts.models import User
from programs.audit.checkpoints import checkpoint_audit
from programs.days.models import Registration
from programs.days.services.days import cancel_day
from programs.days.services.registrations import cancel_registration, resend_registration_link
from programs.days.services.reminders import send_reminders
from programs.days.services.shifts import sign_up_for_shift
from programs.empowerment.models import ApprovalLevel, ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.digests import send_weekly_digest
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture, record_gesture_outcome
from programs.notifications import delivery
from programs.notifications import services as notifications
from programs.notifications.models import DeliveryStatus, Notification
from programs.notifications.notices import Notice
from programs.notifications.outbox import deliver_notification, sweep_outbox
from programs.people.invitations import invite_person
from programs.stories.services import send_thanks_digest, thank_story
from tests.factories import (
    added_shift,
    appreciation_day,
    created_invitation,
    gesture_input,
    registered,
)

pytestmark = pytest.mark.usefixtures("category", "budget")

# Each context keeps its e-mails' templates beside its other templates; the shared layout
# stays in templates/email/.
EMAIL_TEMPLATES = [
    Path(django_settings.BASE_DIR) / "templates" / "email",
    *(Path(app.path) / "templates" / "email" for app in apps.get_app_configs()),
]
MISSING = "@@MISSING:%s@@"

# What a blank placeholder leaves behind in a sentence.
BLANK_SIGNS = {
    "a blank before a comma or full stop": re.compile(r"[ \t]+[,.;]"),
    "two commas with nothing between": re.compile(r",\s*,"),
    "a label with nothing after it": re.compile(r"\w:[ \t]+$", re.MULTILINE),
    "a preposition with nothing after it": re.compile(r"\b(by|at|for|of|on|to|from)\s*[,.;)]"),
    "empty brackets": re.compile(r"\(\s*\)"),
    "a currency sign without an amount": re.compile(r"[£€$](?!\d)"),
    "a Python None": re.compile(r"\bNone\b"),
}


def _visible_text(markup: str) -> str:
    """The HTML alternative as a reader sees it: tags gone, entities decoded, one space."""
    text = re.sub(r"<(br|p|li|tr|h\d|blockquote)\b[^>]*>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _blank_placeholders(text: str) -> list[str]:
    found = []
    if "@@MISSING" in text:
        found.append(re.search(r"@@MISSING:[^@]*@@", text).group(0))
    found += [sign for sign, pattern in BLANK_SIGNS.items() if pattern.search(text)]
    return found


@pytest.fixture
def strict_templates(settings):
    """Any variable a template names and the context lacks shows up as a marker."""
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates


@pytest.fixture
def everything_that_sends_e_mail(
    agent, manager, finance_user, organiser, admin_user, budget, team, settings
):
    """The real situations behind every kind of e-mail, through the real services."""
    # A gesture over the limit waits for the manager, who lets it escalate to finance ...
    waiting = log_gesture(
        agent=agent, **gesture_input(cost="60.00", customer_ref="TCK-2001")
    ).gesture
    escalate_overdue(now=timezone.now() + timedelta(hours=25))
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=waiting, status="pending"),
        actor=finance_user,
        approve=True,
        comment="Worth it.",
    )
    # ... another the manager declines, with the reason ...
    declined = log_gesture(
        agent=agent, **gesture_input(cost="70.00", customer_ref="TCK-2002")
    ).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=declined),
        actor=manager,
        approve=False,
        comment="A call-back first, please.",
    )
    # ... and one with an outcome for the digest's stories.
    small = log_gesture(agent=agent, **gesture_input(cost="12.50", customer_ref="TCK-2003")).gesture
    record_gesture_outcome(
        gesture=small, actor=agent, outcome="She wrote to thank us.", outcome_rating="delighted"
    )
    topup = request_topup(budget=budget, amount="250.00", reason="Storm week.", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup),
        actor=finance_user,
        approve=True,
        comment="Granted.",
    )
    send_weekly_digest()
    # The manager thanks the agent's story (told in the portal), gathered in the thanks digest.
    thank_story(story=small, user=manager)
    send_thanks_digest()

    # A day tomorrow with two seats: one party confirmed, one waiting, promoted on cancelling.
    starts = (timezone.now() + timedelta(hours=20)).replace(second=0, microsecond=0)
    day = appreciation_day(
        organiser,
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        registration_closes_at=starts - timedelta(hours=1),
        capacity=2,
        max_party_size=2,
        online_link="https://meet.example.test/appreciation",
    )
    invitation = created_invitation(day, organiser)
    first = registered(invitation, party_size=2)
    second = registered(invitation, party_size=2)
    cancel_registration(registration=first)
    # Both customers lost their links: one is sent again, the other told how to register again.
    resend_registration_link(token=invitation.token, email=second.email)
    resend_registration_link(token=invitation.token, email=first.email)
    shift = added_shift(day, organiser, description="Welcome people at the door.")
    sign_up_for_shift(shift=shift, user=agent)
    send_reminders()
    cancel_day(day=day, actor=organiser, reason="The venue flooded overnight.")

    # A new colleague is invited to join the portal.
    invite_person(
        email="ngozi.adeyemi@example.test",
        name="Ngozi Adeyemi",
        team=team,
        team_role="agent",
        actor=admin_user,
    )

    # Finance's mailbox receives the audit trail's checkpoint.
    settings.AUDIT_CHECKPOINT_EMAILS = ["finance-archive@example.test"]
    checkpoint_audit()


def test_every_e_mail_template_is_filled_from_the_real_outbox(
    everything_that_sends_e_mail, strict_templates
):
    kinds = {p.stem for folder in EMAIL_TEMPLATES if folder.is_dir() for p in folder.iterdir()}
    kinds -= {"base"}
    outbox = list(
        Notification.objects.exclude(email_status=DeliveryStatus.NOT_EMAILED)
        .select_related("recipient")
        .order_by("pk")
    )
    assert {n.kind for n in outbox} == kinds, "a kind of e-mail has no real situation here"

    problems = {}
    for notification in outbox:
        message = delivery.build_message(notification)
        for part, text in [
            ("text", message.body),
            ("html", _visible_text(message.alternatives[0][0])),
        ]:
            if found := _blank_placeholders(text):
                problems[f"{notification.kind} ({part}) to {notification.email}"] = found
    assert problems == {}


def test_approval_e_mails_say_when_to_decide_by(everything_that_sends_e_mail):
    requests = Notification.objects.filter(kind="approval_requested").order_by("pk")
    levels = set()
    for notification in requests:
        step = ApprovalRequest.objects.get(pk=notification.subject_id)
        due = timezone.localtime(step.due_at)
        expected = f"ecide by {due.day} {due:%B %Y, %H:%M}"  # "Decide by" or "Please decide by"
        message = delivery.build_message(notification)
        for text in (message.body, _visible_text(message.alternatives[0][0])):
            assert expected in text
            # Only a manager's step moves on when it is left undecided.
            assert ("or it moves to finance" in text) == (step.level == ApprovalLevel.MANAGER)
        levels.add(step.level)
    assert levels == {ApprovalLevel.MANAGER, ApprovalLevel.FINANCE}


def test_amounts_in_approval_e_mails_carry_their_currency(everything_that_sends_e_mail):
    first = Notification.objects.filter(kind="approval_requested").earliest("pk")
    message = delivery.build_message(first)
    assert "£60.00" in message.body


def test_notification_context_keeps_times_dates_and_amounts(agent, team):
    moment = timezone.now().replace(microsecond=123456)
    sent = {
        "due_at": moment,
        "on": date(2027, 6, 12),
        "opens": time(9, 30),
        "amount": Decimal("60.10"),
        "nested": [{"at": moment, "cost": Decimal("0.50")}],
        "plain": {"text": "Gift", "count": 2, "nothing": None},
    }
    notifications.notify(
        notice=Notice(kind="approval_requested", title="t", context=sent),
        recipients=[agent],
        subject=team,
        event="types",
    )
    stored = Notification.objects.get().context
    assert stored == sent
    assert isinstance(stored["due_at"], datetime) and stored["due_at"].tzinfo is not None
    assert isinstance(stored["amount"], Decimal) and str(stored["amount"]) == "60.10"
    assert isinstance(stored["on"], date) and not isinstance(stored["on"], datetime)


# Header safety: user text in a header is made safe; a message that cannot be built fails once.


def test_a_line_break_in_a_subject_still_delivers_with_a_one_line_subject(organiser):
    day = appreciation_day(organiser)
    guest = registered(created_invitation(day, organiser))
    notification = Notification.objects.get(email=guest.email)
    # The database refuses line breaks in a day's title; the builder must not rely on it:
    # a stored subject that somehow holds one (an older row, a future field) is still made safe.
    Notification.objects.filter(pk=notification.pk).update(
        title="Summer\r\nBcc: everyone@example.test\n\tparty"
    )

    assert delivery.deliver(notification.pk) is True
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.SENT and notification.attempts == 1
    (message,) = mail.outbox
    assert message.subject.endswith("Summer Bcc: everyone@example.test party")
    headers = message.message()
    assert "\n" not in headers["Subject"].replace("\n ", "")  # folded, never broken
    assert headers["Bcc"] is None
    assert [parseaddr(address)[1] for address in message.recipients()] == [guest.email]


def test_a_recipient_name_that_looks_like_addresses_is_quoted_in_to(agent, manager):
    # Line breaks cannot reach a name (the database refuses them); quotes and commas can.
    User.objects.filter(pk=manager.pk).update(name='Maya "M", Bcc: spy@example.test')
    log_gesture(agent=agent, **gesture_input(cost="60.00"))

    notification = Notification.objects.get(recipient=manager)
    assert delivery.deliver(notification.pk) is True
    (message,) = mail.outbox
    assert message.to == [f'"Maya \\"M\\", Bcc: spy@example.test" <{manager.email}>']
    assert [parseaddr(address)[1] for address in message.recipients()] == [manager.email]
    assert message.message()["Bcc"] is None
    assert [parseaddr(address)[1] for address in message.recipients()] == [manager.email]


def test_a_message_that_cannot_be_built_fails_once_loudly_and_is_not_retried(
    organiser, caplog, django_capture_on_commit_callbacks
):
    day = appreciation_day(organiser)
    guest = registered(created_invitation(day, organiser))
    # An address stored before addresses were checked, carrying a header of its own.
    Registration.objects.filter(pk=guest.pk).update(email=f"{guest.email}\nBcc: x@example.test")
    with django_capture_on_commit_callbacks(execute=True):  # the real task, run inline
        cancel_day(day=day, actor=organiser, reason="Rain.")

    notification = Notification.objects.get(kind="day_cancelled")
    assert notification.email_status == DeliveryStatus.FAILED
    assert notification.attempts == 1
    assert notification.last_error.startswith("Could not build the e-mail:")
    assert mail.outbox == []
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [str(notification.pk) in r.getMessage() for r in failures] == [True]

    # Neither the task run again nor the sweeper tries it a second time.
    deliver_notification.delay(notification.pk)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    sweep_outbox.delay()
    notification.refresh_from_db()
    assert notification.attempts == 1 and mail.outbox == []


def test_a_kind_without_a_template_fails_once(agent, team):
    notifications.notify(
        notice=Notice(kind="retired_kind", title="Old"),
        recipients=[agent],
        subject=team,
        event="old",
    )
    notification = Notification.objects.get()
    assert delivery.deliver(notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.FAILED
    assert notification.attempts == 1
    assert "TemplateDoesNotExist" in notification.last_error


def test_the_weekly_digest_writes_every_amount_with_its_currency(everything_that_sends_e_mail):
    digest = Notification.objects.filter(kind="weekly_digest").earliest("pk")
    message = delivery.build_message(digest)
    for text in (message.body, _visible_text(message.alternatives[0][0])):
        assert "£1,250.00" in text  # Care North's budget, after a top-up
        assert not re.search(r"(?<![£\d,])\d+\.\d\d\b", text), "an amount without its sign"
        assert " GBP" not in text
