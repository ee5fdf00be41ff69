"""Loads the demo programme, categories, budgets and gestures. Running it again changes nothing."""

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import RoleName, Team, User
from programs.empowerment.models import Gesture, GestureCategory, Programme
from programs.empowerment.services.budgets import allocate_budget
from programs.empowerment.services.gestures import log_gesture, record_gesture_outcome
from programs.empowerment.services.programmes import create_programme


@dataclass
class ProgrammeSeedReport:
    programme_created: bool = False
    budgets_allocated: int = 0
    gestures_logged: int = 0


@transaction.atomic
def seed_programme(*, programme_file: Path, gestures_file: Path) -> ProgrammeSeedReport:
    report = ProgrammeSeedReport()
    spec = tomllib.loads(programme_file.read_text(encoding="utf-8"))
    stories = tomllib.loads(gestures_file.read_text(encoding="utf-8"))

    values = {
        key: Decimal(value) if isinstance(value, str) and key != "currency" else value
        for key, value in spec["programme"].items()
        if key not in {"name", "period", "currency"}
    }
    programme = Programme.objects.filter(name=spec["programme"]["name"]).first()
    if programme is None:
        programme = create_programme(
            values={
                "name": spec["programme"]["name"],
                "currency": spec["programme"]["currency"],
                "period": spec["programme"]["period"],
                **values,
            },
            actor=None,
        )
        report.programme_created = True

    for category in stories.get("categories", []):
        GestureCategory.objects.get_or_create(
            slug=category["slug"],
            defaults={"name": category["name"], "description": category["description"]},
        )

    finance = User.objects.filter(org_roles__role=RoleName.FINANCE).order_by("pk").first()
    today = timezone.localdate()
    current_start, _ = programme.period_bounds(today)
    previous_start, _ = programme.period_bounds(current_start - timedelta(days=1))
    for team_name, amount in spec.get("budgets", {}).items():
        team = Team.objects.get(name=team_name)
        for start in (previous_start, current_start):
            if not team.budgets.filter(programme=programme, period_start=start).exists():
                allocate_budget(
                    team=team, programme=programme, period_start=start, amount=amount, actor=finance
                )
                report.budgets_allocated += 1

    # Oldest first, so that a later gesture for the same customer is flagged as a duplicate.
    for story in sorted(stories.get("gestures", []), key=lambda s: -s["days_ago"]):
        agent = User.objects.get(email=story["agent"])
        if Gesture.objects.filter(
            agent=agent, customer_ref=story["customer_ref"], action=story["action"]
        ).exists():
            continue
        gesture = log_gesture(
            agent=agent,
            programme=programme,
            category=story["category"],
            channel=story["channel"],
            customer_ref=story["customer_ref"],
            customer_name=story["customer_name"],
            situation=story["situation"],
            action=story["action"],
            cost=Decimal(story["cost"]),
            occurred_on=today - timedelta(days=story["days_ago"]),
            keep_private=story.get("keep_private", False),
        ).gesture
        if story.get("outcome_rating"):
            record_gesture_outcome(
                gesture=gesture,
                actor=agent,
                outcome=story["outcome"],
                outcome_rating=story["outcome_rating"],
            )
        report.gestures_logged += 1
    return report
