"""The story wall: which gestures are stories, who may see and moderate them, and who thanked.

A story is an approved gesture its agent did not keep private and no manager hid. Everyone
signed in reads the wall as :class:`Story` objects, never as gestures: a story carries no
field for the customer's name or reference, and its words have them taken out where the agent
wrote them (:func:`without_customer`), so no page or answer can show them by accident.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Greatest
from django.http import Http404

from accounts.permissions import Access, access_for
from programs.empowerment.models import Gesture, GestureStatus
from programs.stories.models import HiddenStory, Thanks

# What the wall reads of a gesture. The customer's name and reference are read only to take
# them out of the story's words.
STORY_FIELDS = (
    "customer_name",
    "customer_ref",
    "id",
    "agent_id",
    "team_id",
    "category_id",
    "channel",
    "situation",
    "action",
    "outcome",
    "outcome_rating",
    "occurred_on",
    "created_at",
    "agent__id",
    "agent__name",
    "team__id",
    "team__name",
    "category__id",
    "category__name",
    "category__slug",
)
THANKED_BY_SHOWN = 5


def _stories() -> QuerySet[Gesture]:
    hidden = HiddenStory.objects.filter(gesture=OuterRef("pk"))
    return Gesture.objects.filter(status=GestureStatus.APPROVED, keep_private=False).exclude(
        Exists(hidden)
    )


def wall(
    access: Access,
    *,
    team_id: int | None = None,
    category: str = "",
    channel: str = "",
    rating: str = "",
    search: str = "",
) -> QuerySet[Gesture]:
    """The stories a signed-in person reads, newest first, with their thanks counted and
    whether the reader gave one; the first few thankers come with ``.thankers``."""
    if not access.is_signed_in:
        return Gesture.objects.none()
    stories = _stories()
    if team_id:
        stories = stories.filter(team_id=team_id)
    if category:
        stories = stories.filter(category__slug=category)
    if channel:
        stories = stories.filter(channel=channel)
    if rating:
        stories = stories.filter(outcome_rating=rating)
    if search:
        stories = stories.filter(_matching(search))
    mine = Thanks.objects.filter(gesture=OuterRef("pk"), thanked_by_id=access.user_id)
    return (
        stories.select_related("agent", "team", "category")
        .only(*STORY_FIELDS)
        .annotate(thanks_count=Count("thanks", distinct=True), thanked_by_me=Exists(mine))
        .annotate(thanks_unnamed=Greatest(F("thanks_count") - THANKED_BY_SHOWN, 0))
        .prefetch_related(
            Prefetch(
                "thanks",
                queryset=Thanks.objects.select_related("thanked_by").only(
                    "gesture_id", "created_at", "thanked_by__id", "thanked_by__name"
                ),
                to_attr="thankers",
            )
        )
        .order_by("-created_at", "-id")
    )


def _matching(search: str) -> Q:
    """Full-text on PostgreSQL (the index of migration 0002), words in any order; a plain
    substring on SQLite."""
    if connection.vendor == "postgresql":
        vector = SearchVector("situation", "action", "outcome", config="english")
        query = SearchQuery(search, config="english", search_type="websearch")
        return Q(pk__in=Gesture.objects.annotate(found=vector).filter(found=query).values("pk"))
    return (
        Q(situation__icontains=search) | Q(action__icontains=search) | Q(outcome__icontains=search)
    )


def story_for(user, gesture_id: int) -> Gesture:
    """The story, if it is on the wall; otherwise 404, as if it did not exist (a pending,
    declined, withdrawn, private or hidden gesture is not a story)."""
    if not access_for(user).is_signed_in:
        raise Http404("No such story.")
    try:
        return _stories().select_related("agent").get(pk=gesture_id)
    except (Gesture.DoesNotExist, ValueError, TypeError):
        raise Http404("No such story.") from None


def moderated_stories(access: Access) -> QuerySet[Gesture]:
    """Approved, shared gestures a person may hide or show again: a manager's teams', or
    every team's for an administrator."""
    gestures = Gesture.objects.filter(status=GestureStatus.APPROVED, keep_private=False)
    if access.is_admin:
        return gestures
    return gestures.filter(team_id__in=access.managed_team_ids)


def story_to_moderate(user, gesture_id: int) -> Gesture:
    """A story (shown or hidden) the person may hide or show again; otherwise 404."""
    try:
        return (
            moderated_stories(access_for(user))
            .select_related("agent", "team", "category", "hidden_story")
            .get(pk=gesture_id)
        )
    except (Gesture.DoesNotExist, ValueError, TypeError):
        raise Http404("No such story.") from None


def hidden_stories(access: Access) -> QuerySet[HiddenStory]:
    """The stories the person took (or may take) off the wall, newest first."""
    return (
        HiddenStory.objects.filter(gesture__in=moderated_stories(access))
        .select_related("gesture__agent", "gesture__team", "gesture__category", "hidden_by")
        .order_by("-hidden_at", "-id")
    )


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Story:
    """What the wall shows of a gesture."""

    id: int
    agent: Person
    team: Person
    category: str
    category_name: str
    channel: str
    channel_label: str
    situation: str
    action: str
    outcome: str
    outcome_rating: str
    outcome_rating_label: str
    occurred_on: date
    thanks_count: int = 0
    thanked_by_me: bool = False
    thankers: list[str] = field(default_factory=list)
    thanks_unnamed: int = 0


def as_story(gesture: Gesture) -> Story:
    """A gesture from :func:`wall` as the wall shows it."""

    def told(text: str) -> str:
        return without_customer(text, name=gesture.customer_name, ref=gesture.customer_ref)

    return Story(
        id=gesture.pk,
        agent=Person(gesture.agent.pk, gesture.agent.name),
        team=Person(gesture.team.pk, gesture.team.name),
        category=gesture.category.slug,
        category_name=gesture.category.name,
        channel=gesture.channel,
        channel_label=gesture.get_channel_display(),
        situation=told(gesture.situation),
        action=told(gesture.action),
        outcome=told(gesture.outcome),
        outcome_rating=gesture.outcome_rating,
        outcome_rating_label=gesture.get_outcome_rating_display() if gesture.outcome_rating else "",
        occurred_on=gesture.occurred_on,
        thanks_count=getattr(gesture, "thanks_count", 0),
        thanked_by_me=getattr(gesture, "thanked_by_me", False),
        thankers=[t.thanked_by.name for t in getattr(gesture, "thankers", [])][:THANKED_BY_SHOWN],
        thanks_unnamed=getattr(gesture, "thanks_unnamed", 0),
    )


def as_stories(gestures) -> list[Story]:
    return [as_story(gesture) for gesture in gestures]


_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam|Señora|Señor|Senora|Senor|Sra|Sr|Frau|Herr)\.?"


def without_customer(text: str, *, name: str, ref: str) -> str:
    """The agent's words with the customer's name ("Mrs Marlow", "Edith", "Marlow's") and
    reference taken out: "the customer", "the customer's"."""
    if ref:
        text = re.sub(re.escape(ref), "[reference]", text, flags=re.IGNORECASE)
    words = sorted({w for w in re.split(r"[\s,]+", name) if len(w) >= 2}, key=len, reverse=True)
    if not words:
        return text
    one_name = "|".join(re.escape(w) for w in words)
    pattern = re.compile(
        rf"(?:\b{_TITLES}\s+)?\b(?:{one_name})(?:\s+(?:{one_name}))*\b(?P<own>['’]s\b)?",
        flags=re.IGNORECASE,
    )

    def replace(match: re.Match) -> str:
        said = "the customer’s" if match["own"] else "the customer"
        before = text[: match.start()].rstrip()
        return said.capitalize() if not before or before[-1] in ".!?\n" else said

    return pattern.sub(replace, text)


def wall_story(*, agent_email: str, customer_ref: str, action: str) -> Gesture | None:
    """The story an agent told with these words, if it is on the wall (for the demo seed)."""
    return (
        _stories()
        .select_related("agent")
        .filter(agent__email=agent_email, customer_ref=customer_ref, action=action)
        .first()
    )
