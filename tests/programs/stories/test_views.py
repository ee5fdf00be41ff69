"""The story wall's pages: reading, thanking with and without JavaScript, and managers hiding
a story and showing it again."""

from django.urls import reverse

from accounts.models import TeamRole
from programs.stories.models import HiddenStory, Thanks
from programs.stories.services import hide_story, thank_story
from tests.factories import UserFactory, place
from tests.support.gesture_entry import form_data

WALL = "/stories/"


def test_everyone_signed_in_reads_the_wall_without_customer_data(
    client, colleague, finance_user, organiser, story
):
    for reader in (colleague, finance_user, organiser):
        client.force_login(reader)
        page = client.get(WALL).content.decode()
        assert "Her order for her father" in page
        assert "TCK-SECRET-7" not in page and "Secretname" not in page


def test_signed_out_people_are_sent_to_sign_in(client, story):
    response = client.get(WALL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_thanking_without_javascript_returns_to_the_wall(client, colleague, story):
    client.force_login(colleague)
    response = client.post(reverse("stories:thank", args=[story.pk]), {"next": f"{WALL}?page=1"})
    assert response.status_code == 302 and response["Location"] == f"{WALL}?page=1"
    assert Thanks.objects.filter(gesture=story, thanked_by=colleague).exists()
    page = client.get(WALL).content.decode()
    assert "1</strong> thank" in page and "Cai Colleague" in page


def test_thanking_with_htmx_answers_with_the_thanks_alone(client, colleague, story):
    client.force_login(colleague)
    url = reverse("stories:thank", args=[story.pk])
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith(f'<div class="thanks" id="thanks-{story.pk}">')
    assert 'aria-pressed="true"' in html
    undone = client.post(url, {"undo": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert "No thanks yet" in undone
    assert not Thanks.objects.exists()


def test_the_agent_sees_no_thanks_button_on_their_own_story(client, agent, story):
    client.force_login(agent)
    page = client.get(reverse("stories:story", args=[story.pk])).content.decode()
    assert "Thank Aisha Agent" not in page
    assert client.post(reverse("stories:thank", args=[story.pk])).status_code == 302
    assert not Thanks.objects.exists()


def test_a_manager_hides_a_story_and_shows_it_again(client, manager, colleague, story):
    client.force_login(manager)
    hide = reverse("stories:hide", args=[story.pk])
    assert client.get(hide).status_code == 200
    refused = client.post(hide, {"reason": ""})
    assert refused.status_code == 200 and "field--invalid" in refused.content.decode()
    response = client.post(hide, {"reason": "The family asked us not to share it."})
    assert response.status_code == 302 and response["Location"] == reverse("stories:hidden")
    listed = client.get(reverse("stories:hidden")).content.decode()
    assert "The family asked us not to share it." in listed

    client.force_login(colleague)
    assert "Her order for her father" not in client.get(WALL).content.decode()
    assert client.get(reverse("stories:story", args=[story.pk])).status_code == 404

    client.force_login(manager)
    client.post(reverse("stories:show", args=[story.pk]))
    assert not HiddenStory.objects.exists()


def test_only_the_teams_managers_reach_the_hiding_pages(
    client, agent, other_manager, manager, story
):
    client.force_login(agent)
    assert client.get(reverse("stories:hide", args=[story.pk])).status_code == 403
    assert client.get(reverse("stories:hidden")).status_code == 403
    client.force_login(other_manager)
    assert client.get(reverse("stories:hide", args=[story.pk])).status_code == 404
    hide_story(story=story, actor=manager, reason="Sensitive.")
    assert "Sensitive." not in client.get(reverse("stories:hidden")).content.decode()


def test_logging_a_gesture_can_keep_its_story_private(client, agent, colleague, budget):
    client.force_login(agent)
    client.post(reverse("empowerment:log-gesture"), form_data(keep_private="on"))
    client.force_login(colleague)
    assert "No stories yet" in client.get(WALL).content.decode()


def test_the_first_five_who_thanked_are_named_and_the_rest_counted(client, colleague, story):
    for n in range(7):
        thank_story(
            story=story, user=place(UserFactory(name=f"Thanker {n}"), story.team, TeamRole.AGENT)
        )
    client.force_login(colleague)
    page = client.get(reverse("stories:story", args=[story.pk])).content.decode()
    assert "<strong>7</strong> thanks" in page
    assert "Thanker 4" in page and "Thanker 5" not in page
    assert "and 2 more" in page


def test_a_manager_is_offered_to_hide_only_their_teams_stories(
    client, manager, other_manager, story
):
    hide = reverse("stories:hide", args=[story.pk])
    client.force_login(manager)
    assert hide in client.get(WALL).content.decode()
    client.force_login(other_manager)
    assert hide not in client.get(WALL).content.decode()
