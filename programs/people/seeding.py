"""Loads demo people and teams from seeds/people.toml. Running it again changes nothing."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.models import Team, User
from programs.people import services as people

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 — the documented demo password, never production


@dataclass
class SeedReport:
    people_created: int = 0
    teams_created: int = 0


@transaction.atomic
def seed_people(path: Path) -> SeedReport:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    teams: dict[str, Team] = {}
    for spec in data.get("teams", []):
        parent = teams.get(spec["parent"]) if spec.get("parent") else None
        team = Team.objects.filter(name=spec["name"]).first()
        if team is None:
            team = people.create_team(name=spec["name"], parent=parent)
            report.teams_created += 1
        teams[team.name] = team
    for spec in data.get("people", []):
        user = User.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            user = people.create_person(
                email=spec["email"], name=spec["name"], password=DEMO_PASSWORD, actor=None
            )
            report.people_created += 1
        for role in spec.get("roles", []):
            people.grant_role(user=user, role=role, actor=None)
        for team_name, role in spec.get("teams", {}).items():
            people.set_membership(user=user, team=teams[team_name], role=role, actor=None)
    return report
