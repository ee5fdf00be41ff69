"""GET /api/v1/stories/ and POST/DELETE /api/v1/stories/{id}/thanks/ (API.md)."""

import pytest
from django.urls import reverse

from programs.stories.models import Thanks
from programs.stories.services import hide_story

STORIES = "/api/v1/stories/"


def thanks_url(pk: int) -> str:
    return reverse("api:story-thanks", args=[pk])


def test_a_story_has_exactly_the_documented_fields_and_no_customer_data(
    api_client, colleague, story
):
    api_client.force_authenticate(colleague)
    body = api_client.get(STORIES).json()
    [item] = body["results"]
    assert set(item) == {
        "id",
        "agent",
        "team",
        "category",
        "channel",
        "situation",
        "action",
        "outcome",
        "outcome_rating",
        "occurred_on",
        "thanks_count",
        "thanked_by_me",
    }
    assert item["id"] == story.pk
    assert item["agent"] == {"id": story.agent_id, "name": "Aisha Agent"}
    assert item["team"] == {"id": story.team_id, "name": story.team.name}
    assert item["category"] == "gift"
    raw = api_client.get(STORIES).content.decode()
    assert "TCK-SECRET-7" not in raw and "Secretname" not in raw


def test_filters_and_search(api_client, colleague, story, other_team):
    api_client.force_authenticate(colleague)
    assert api_client.get(STORIES, {"q": "courier"}).json()["count"] == 1
    assert api_client.get(STORIES, {"q": "zeppelin"}).json()["count"] == 0
    assert api_client.get(STORIES, {"team": other_team.pk}).json()["count"] == 0
    assert api_client.get(STORIES, {"channel": "phone", "category": "gift"}).json()["count"] == 1
    assert api_client.get(STORIES, {"rating": "bogus"}).status_code == 400


def test_thanks_201_then_200_then_204(api_client, colleague, story):
    api_client.force_authenticate(colleague)
    first = api_client.post(thanks_url(story.pk))
    assert first.status_code == 201
    assert first.json()["thanks_count"] == 1 and first.json()["thanked_by_me"] is True
    again = api_client.post(thanks_url(story.pk))
    assert again.status_code == 200 and again.json()["thanks_count"] == 1
    assert api_client.delete(thanks_url(story.pk)).status_code == 204
    assert not Thanks.objects.exists()


def test_your_own_story_is_403(api_client, agent, story):
    api_client.force_authenticate(agent)
    response = api_client.post(thanks_url(story.pk))
    assert response.status_code == 403
    assert "own story" in response.json()["detail"]


@pytest.mark.parametrize("kind", ["waiting", "declined", "withdrawn", "private"])
def test_what_is_not_a_story_is_404(api_client, colleague, not_stories, kind):
    api_client.force_authenticate(colleague)
    assert api_client.post(thanks_url(not_stories[kind].pk)).status_code == 404
    assert api_client.delete(thanks_url(not_stories[kind].pk)).status_code == 404


def test_a_hidden_story_is_404_and_leaves_the_list(api_client, colleague, manager, story):
    hide_story(story=story, actor=manager, reason="Sensitive.")
    api_client.force_authenticate(colleague)
    assert api_client.post(thanks_url(story.pk)).status_code == 404
    assert api_client.get(STORIES).json()["count"] == 0


def test_signed_out_is_401(api_client, story):
    assert api_client.get(STORIES).status_code in (401, 403)
    assert api_client.post(thanks_url(story.pk)).status_code in (401, 403)
