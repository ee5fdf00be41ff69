"""Loads the demo thanks on the demo stories. Running it again changes nothing."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.models import User
from programs.stories.selectors import wall_story
from programs.stories.services import thank_story


@dataclass
class StoriesSeedReport:
    thanks_given: int = 0


@transaction.atomic
def seed_thanks(*, stories_file: Path, gestures_file: Path) -> StoriesSeedReport:
    report = StoriesSeedReport()
    thanks = tomllib.loads(stories_file.read_text(encoding="utf-8")).get("thanks", [])
    gestures = {
        g["key"]: g
        for g in tomllib.loads(gestures_file.read_text(encoding="utf-8")).get("gestures", [])
    }
    for entry in thanks:
        seed = gestures[entry["story"]]
        story = wall_story(
            agent_email=seed["agent"], customer_ref=seed["customer_ref"], action=seed["action"]
        )
        if story is None:
            continue
        for email in entry["by"]:
            report.thanks_given += thank_story(
                story=story, user=User.objects.get(email=email)
            ).created
    return report
