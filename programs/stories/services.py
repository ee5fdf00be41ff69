"""Thanking a story, taking the thanks back, and a manager hiding a story or showing it again.

Each is one transaction with its audit entry. Thanks are idempotent: thanking again changes
nothing and says so, which is what a double click or a retried request needs.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from operator import attrgetter

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import access_for
from portal import locking
from portal.errors import Conflict, NotPermitted
from portal.validation import clean_text
from portal.validators import TEXT_LIMIT, TextKind
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.models import Gesture
from programs.notifications.services import notify
from programs.stories import notices
from programs.stories.models import HiddenStory, Thanks


@dataclass(frozen=True)
class ThanksGiven:
    thanks: Thanks
    created: bool


def thank_story(*, story: Gesture, user: User) -> ThanksGiven:
    """``user`` thanks the story's agent, once; the agent sees it in the portal (no e-mail per
    thanks: the weekly thanks digest gathers them). ``story`` comes from ``story_for``."""
    if story.agent_id == user.pk:
        raise NotPermitted("You cannot thank your own story.")
    existing = Thanks.objects.filter(gesture=story, thanked_by=user).first()
    if existing is not None:
        return ThanksGiven(thanks=existing, created=False)
    try:
        with transaction.atomic():
            thanks = Thanks.objects.create(gesture=story, agent_id=story.agent_id, thanked_by=user)
            notify(
                notice=notices.story_thanked(story, thanked_by=user),
                recipients=[story.agent],
                subject=thanks,
                event="thanked",
                by_email=False,
            )
            trail.record(
                action=AuditAction.STORY_THANKED,
                actor=user,
                subject=story,
                data={"thanks": thanks.pk, "agent": story.agent_id},
            )
    except IntegrityError:
        # The same person thanked at the same moment from another tab: theirs stands.
        return ThanksGiven(thanks=Thanks.objects.get(gesture=story, thanked_by=user), created=False)
    return ThanksGiven(thanks=thanks, created=True)


def withdraw_thanks(*, story: Gesture, user: User) -> bool:
    """Take one's thanks back; False when there was none to take."""
    with transaction.atomic():
        deleted, _ = Thanks.objects.filter(gesture=story, thanked_by=user).delete()
        if not deleted:
            return False
        trail.record(
            action=AuditAction.STORY_THANKS_WITHDRAWN,
            actor=user,
            subject=story,
            data={"agent": story.agent_id},
        )
    return True


def hide_story(*, story: Gesture, actor: User, reason: str) -> HiddenStory:
    """Take a story off the wall, saying why; the agent's gesture is untouched. ``story`` comes
    from ``story_to_moderate`` (the actor manages its team, or administers)."""
    _check_moderator(story, actor)
    reason = clean_text(reason, field="reason", max_length=TEXT_LIMIT, kind=TextKind.TEXT)
    with transaction.atomic():
        locking.lock_row(Gesture.objects, story.pk)
        if HiddenStory.objects.filter(gesture=story).exists():
            raise Conflict("This story is already hidden from the wall.")
        hidden = HiddenStory.objects.create(gesture=story, hidden_by=actor, reason=reason)
        trail.record(
            action=AuditAction.STORY_HIDDEN,
            actor=actor,
            subject=story,
            data={"reason": reason, "agent": story.agent_id},
        )
    return hidden


def show_story(*, story: Gesture, actor: User) -> Gesture:
    """Put a hidden story back on the wall."""
    _check_moderator(story, actor)
    with transaction.atomic():
        locking.lock_row(Gesture.objects, story.pk)
        hidden = HiddenStory.objects.filter(gesture=story).first()
        if hidden is None:
            raise Conflict("This story is on the wall already.")
        hidden.delete()
        trail.record(
            action=AuditAction.STORY_SHOWN,
            actor=actor,
            subject=story,
            data={"was_hidden_because": hidden.reason, "agent": story.agent_id},
        )
    return story


def _check_moderator(story: Gesture, actor: User) -> None:
    access = access_for(actor)
    if not (access.is_admin or access.manages(story.team_id)):
        raise NotPermitted("Only the team's managers can hide or show its stories.")


def send_thanks_digest(*, today: date | None = None) -> int:
    """Queue one e-mail per agent thanked in the week before ``today``, naming who thanked
    which story. Idempotent: the week is part of each message's key."""
    today = today or timezone.localdate()
    since = today - timedelta(days=7)
    year, week, _ = today.isocalendar()
    given = (
        Thanks.objects.filter(created_at__date__gt=since, created_at__date__lte=today)
        .select_related("agent", "thanked_by", "gesture__category")
        .order_by("agent_id", "created_at", "id")
    )
    queued = 0
    for agent, thanks in groupby(given, key=attrgetter("agent")):
        rows = [
            {
                "story": t.gesture_id,
                "category": t.gesture.category.name,
                "by": t.thanked_by.name,
                "situation": t.gesture.situation,
            }
            for t in thanks
        ]
        queued += len(
            notify(
                notice=notices.thanks_digest(since=since, today=today, thanks=rows),
                recipients=[agent],
                subject=agent,
                event=f"{year}-W{week:02d}",
            )
        )
    return queued
