"""What the wall shows: approved, shared, not hidden gestures, newest first, never a customer's
name or reference; filters and search; the same queries however many stories there are."""

import pytest
from django.db import connection
from django.http import Http404

from accounts.permissions import access_for
from programs.empowerment.models import Gesture
from programs.empowerment.services.gestures import log_gesture, record_gesture_outcome
from programs.stories.selectors import as_stories, story_for, wall
from programs.stories.services import hide_story, thank_story
from tests.factories import CategoryFactory, gesture_input
from tests.support.queries import assert_same_query_count, capture_queries


def test_only_approved_shared_and_shown_gestures_are_stories(
    agent, manager, colleague, story, not_stories
):
    hidden = log_gesture(agent=agent, **gesture_input(customer_ref="H-1")).gesture
    hide_story(story=hidden, actor=manager, reason="The family asked us not to share it.")

    assert [s.pk for s in wall(access_for(colleague))] == [story.pk]
    for gesture in [*not_stories.values(), hidden]:
        with pytest.raises(Http404):
            story_for(colleague, gesture.pk)
    assert story_for(colleague, story.pk) == story


def test_a_zero_cost_gesture_is_a_story_too(agent, colleague, category, budget):
    free = log_gesture(agent=agent, **gesture_input(cost="0")).gesture
    assert [s.pk for s in wall(access_for(colleague))] == [free.pk]


def test_a_story_has_no_customer_name_or_reference_even_where_the_agent_wrote_them(
    agent, colleague, category, budget
):
    log_gesture(
        agent=agent,
        **gesture_input(
            customer_ref="TCK-48213",
            customer_name="Edith Marlow",
            situation="Mrs Marlow rings most weeks (TCK-48213). Marlow's husband died in spring.",
            action="Edith and I talked allotments; I called Mrs Marlow back on Friday.",
        ),
    )
    [story] = as_stories(wall(access_for(colleague)))
    assert not {"customer_name", "customer_ref"} & set(vars(story))
    assert story.situation == (
        "The customer rings most weeks ([reference]). The customer’s husband died in spring."
    )
    assert (
        story.action
        == "The customer and I talked allotments; I called the customer back on Friday."
    )


def test_thanks_are_counted_with_who_gave_them_and_whether_i_did(agent, colleague, manager, story):
    thank_story(story=story, user=colleague)
    thank_story(story=story, user=manager)

    [seen_by_colleague] = as_stories(wall(access_for(colleague)))
    assert seen_by_colleague.thanks_count == 2
    assert seen_by_colleague.thanked_by_me is True
    assert seen_by_colleague.thankers == ["Cai Colleague", "Maya Manager"]
    [seen_by_agent] = as_stories(wall(access_for(agent)))
    assert seen_by_agent.thanked_by_me is False


def test_filters_narrow_the_wall(agent, colleague, other_team, story):
    flowers = CategoryFactory(name="Flowers", slug="flowers")
    bouquet = log_gesture(
        agent=agent, **gesture_input(category="flowers", channel="email", customer_ref="F-1")
    ).gesture
    record_gesture_outcome(gesture=bouquet, actor=agent, outcome="", outcome_rating="delighted")
    access = access_for(colleague)

    def ids(**filters):
        return [s.pk for s in wall(access, **filters)]

    assert ids() == [bouquet.pk, story.pk]
    assert ids(category=flowers.slug) == [bouquet.pk]
    assert ids(channel="phone") == [story.pk]
    assert ids(rating="delighted") == [bouquet.pk]
    assert ids(team_id=story.team_id) == [bouquet.pk, story.pk]
    assert ids(team_id=other_team.pk) == []


def test_search_finds_words_in_any_order_and_form(agent, colleague, story):
    log_gesture(
        agent=agent,
        **gesture_input(
            customer_ref="S-2",
            situation="His flight was cancelled and he missed his daughter's wedding.",
            action="Booked him on the next train and called the venue.",
        ),
    )
    access = access_for(colleague)
    assert [s.pk for s in wall(access, search="replacement courier")] == [story.pk]
    if connection.vendor == "postgresql":
        # Full-text search: stems and any order ("birthdays" finds "birthday").
        assert [s.pk for s in wall(access, search="birthdays father")] == [story.pk]
    assert list(wall(access, search="nothing like this")) == []


def test_the_wall_takes_the_same_queries_for_one_story_or_many(
    client, agent, colleague, manager, story
):
    thank_story(story=story, user=colleague)
    client.force_login(colleague)
    with capture_queries() as few:
        client.get("/stories/")
    for n in range(12):
        more = log_gesture(agent=agent, **gesture_input(customer_ref=f"M-{n}")).gesture
        thank_story(story=more, user=colleague)
        thank_story(story=more, user=manager)
    with capture_queries() as many:
        response = client.get("/stories/")
    assert response.status_code == 200
    assert_same_query_count(few, many)
    assert Gesture.objects.count() == 13
