"""Loads the demo appreciation day, its shifts, an invitation link and a few registrations from
seeds/appreciation_day.toml, through the services. Running it again changes nothing."""

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from programs.days.models import AppreciationDay, DayStatus, Registration, ShiftSignup
from programs.days.services.days import create_day, create_invitation, invitation_path, publish_day
from programs.days.services.registrations import register_customer
from programs.days.services.shifts import add_shift, sign_up_for_shift


@dataclass
class DaySeedReport:
    day_created: bool = False
    shifts_added: int = 0
    registrations_made: int = 0
    invitation_url: str = ""


@transaction.atomic
def seed_appreciation_day(path: Path) -> DaySeedReport:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    report = DaySeedReport()
    about = spec["day"]
    organiser = User.objects.get(email__iexact=about["organiser"])

    day = AppreciationDay.objects.filter(title=about["title"]).first()
    if day is None:
        start_day = timezone.localdate() + timedelta(days=about["starts_in_days"])
        starts = timezone.make_aware(
            datetime.combine(start_day, time.fromisoformat(about["starts_at"]))
        )
        day = create_day(
            actor=organiser,
            title=about["title"],
            description=about["description"],
            starts_at=starts,
            ends_at=starts + timedelta(hours=about["hours"]),
            venue=about["venue"],
            capacity=about["capacity"],
            max_party_size=about["max_party_size"],
            registration_opens_at=timezone.now() - timedelta(days=1),
            registration_closes_at=starts
            - timedelta(hours=about["registration_closes_hours_before"]),
        )
        report.day_created = True
    if day.status == DayStatus.DRAFT:
        day = publish_day(day=day, actor=organiser)

    for spec_shift in spec.get("shifts", []):
        shift = day.shifts.filter(role=spec_shift["role"]).first()
        if shift is None:
            shift = add_shift(
                day=day,
                actor=organiser,
                role=spec_shift["role"],
                description=spec_shift.get("description", ""),
                starts_at=day.starts_at + timedelta(hours=spec_shift["from_hour"]),
                ends_at=day.starts_at + timedelta(hours=spec_shift["to_hour"]),
                capacity=spec_shift["capacity"],
            )
            report.shifts_added += 1
        for email in spec_shift.get("staff", []):
            person = User.objects.get(email__iexact=email)
            if not ShiftSignup.objects.filter(shift=shift, user=person).exists():
                sign_up_for_shift(shift=shift, user=person)

    label = spec["invitation"]["label"]
    invitation = day.invitations.filter(label=label, revoked_at__isnull=True).first()
    if invitation is None:
        invitation = create_invitation(day=day, actor=organiser, label=label)

    for guest in spec.get("registrations", []):
        if Registration.objects.live().filter(day=day, email__iexact=guest["email"]).exists():
            continue
        register_customer(
            token=invitation.token,
            name=guest["name"],
            email=guest["email"],
            party_size=guest["party_size"],
            accessibility_needs=guest.get("accessibility_needs", ""),
            dietary_needs=guest.get("dietary_needs", ""),
            consent=True,
        )
        report.registrations_made += 1
    report.invitation_url = f"{settings.PORTAL_BASE_URL}{invitation_path(invitation)}"
    return report
