"""What agents are told about their stories (see programs/notifications/notices.py)."""

from datetime import date, timedelta

from django.urls import reverse

from accounts.models import User
from programs.empowerment.models import Gesture
from programs.notifications.notices import Notice


def story_thanked(story: Gesture, *, thanked_by: User) -> Notice:
    """In the portal only: one e-mail per thanks would soon be noise."""
    return Notice(
        kind="story_thanked",
        title=f"{thanked_by} thanked you for your {story.category} story",
        link=reverse("stories:story", args=[story.pk]),
    )


def thanks_digest(*, since: date, today: date, thanks: list[dict]) -> Notice:
    """An agent's week of thanks: who thanked which story."""
    stories = len({row["story"] for row in thanks})
    people = len({row["by"] for row in thanks})
    return Notice(
        kind="thanks_digest",
        title=(
            f"{people} colleague{'s' if people != 1 else ''} thanked "
            f"{stories} of your stories this week"
            if stories != 1
            else f"{people} colleague{'s' if people != 1 else ''} thanked your story this week"
        ),
        link=reverse("stories:wall"),
        context={"week": f"{since + timedelta(days=1):%d %b} – {today:%d %b %Y}", "thanks": thanks},
    )
