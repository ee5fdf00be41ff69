"""Thanks (once each, never your own, told in the portal only, gathered in a weekly digest) and
a manager hiding a story or showing it again, each audited."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TeamRole
from portal.errors import Conflict, InvalidInput, NotPermitted
from programs.audit.models import AuditEntry
from programs.notifications.models import DeliveryStatus, Notification
from programs.stories.models import HiddenStory, Thanks
from programs.stories.services import (
    hide_story,
    send_thanks_digest,
    show_story,
    thank_story,
    withdraw_thanks,
)
from tests.factories import UserFactory, place


def test_thanking_twice_thanks_once(agent, colleague, story):
    first = thank_story(story=story, user=colleague)
    again = thank_story(story=story, user=colleague)

    assert first.created is True and again.created is False
    assert again.thanks == first.thanks
    assert Thanks.objects.count() == 1
    assert AuditEntry.objects.filter(action="story.thanked").count() == 1


def test_nobody_thanks_their_own_story(agent, story):
    with pytest.raises(NotPermitted):
        thank_story(story=story, user=agent)
    assert not Thanks.objects.exists()


def test_the_database_refuses_thanks_for_yourself_and_twice(agent, colleague, story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Thanks.objects.create(gesture=story, agent=agent, thanked_by=agent)
    Thanks.objects.create(gesture=story, agent=agent, thanked_by=colleague)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thanks.objects.create(gesture=story, agent=agent, thanked_by=colleague)


def test_the_agent_is_told_in_the_portal_and_not_by_e_mail(
    agent, colleague, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        thank_story(story=story, user=colleague)

    [told] = Notification.objects.filter(kind="story_thanked")
    assert told.recipient == agent
    assert told.title == "Cai Colleague thanked you for your Gift story"
    assert told.link == f"/stories/{story.pk}/"
    assert told.email_status == DeliveryStatus.NOT_EMAILED
    assert callbacks == []  # nothing queued for sending
    assert Notification.objects.undelivered().count() == 0


def test_thanks_can_be_taken_back_once(colleague, story):
    thank_story(story=story, user=colleague)
    assert withdraw_thanks(story=story, user=colleague) is True
    assert withdraw_thanks(story=story, user=colleague) is False
    assert not Thanks.objects.exists()
    assert AuditEntry.objects.filter(action="story.thanks_withdrawn").count() == 1


def test_a_manager_hides_a_story_with_a_reason_and_shows_it_again(manager, story):
    hidden = hide_story(story=story, actor=manager, reason="The customer asked us to.")
    assert hidden.reason == "The customer asked us to." and hidden.hidden_by == manager
    entry = AuditEntry.objects.get(action="story.hidden")
    assert entry.actor == manager and entry.data["reason"] == "The customer asked us to."
    with pytest.raises(Conflict):
        hide_story(story=story, actor=manager, reason="Again.")

    show_story(story=story, actor=manager)
    assert not HiddenStory.objects.exists()
    shown = AuditEntry.objects.get(action="story.shown")
    assert shown.data["was_hidden_because"] == "The customer asked us to."
    with pytest.raises(Conflict):
        show_story(story=story, actor=manager)


def test_hiding_needs_a_reason(manager, story):
    with pytest.raises(InvalidInput) as error:
        hide_story(story=story, actor=manager, reason="   ")
    assert "reason" in error.value.field_errors
    assert not HiddenStory.objects.exists()


def test_only_the_teams_managers_and_admins_hide_its_stories(
    story, agent, other_manager, admin_user
):
    for outsider in (agent, other_manager):
        with pytest.raises(NotPermitted):
            hide_story(story=story, actor=outsider, reason="No.")
    hide_story(story=story, actor=admin_user, reason="An administrator may.")
    assert HiddenStory.objects.get().hidden_by == admin_user


def test_the_weekly_digest_gathers_an_agents_thanks_once(agent, colleague, manager, story, team):
    thank_story(story=story, user=colleague)
    thank_story(story=story, user=manager)
    other = place(UserFactory(name="Ola Other"), team, TeamRole.AGENT)
    today = timezone.localdate() + timedelta(days=1)

    assert send_thanks_digest(today=today) == 1
    assert send_thanks_digest(today=today) == 0
    [digest] = Notification.objects.filter(kind="thanks_digest")
    assert digest.recipient == agent
    assert digest.title == "2 colleagues thanked your story this week"
    assert digest.email_status == DeliveryStatus.PENDING
    assert [row["by"] for row in digest.context["thanks"]] == ["Cai Colleague", "Maya Manager"]
    assert not Notification.objects.filter(kind="thanks_digest", recipient=other).exists()
    # A week later, nothing new: no digest.
    assert send_thanks_digest(today=today + timedelta(days=7)) == 0
