"""A colleague reads the story wall, finds an agent's story and thanks it; the agent sees
who thanked them in the portal. Without the customer's name anywhere on the wall."""

import pytest
from django.core.management import call_command

from programs.notifications.models import DeliveryStatus, Notification
from tests.e2e.header import log_in, nav_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_colleague_thanks_an_agents_story_and_the_agent_is_told(page, assert_accessible):
    call_command("seed_demo")
    log_in(page, "manager2@demo.test")
    nav_link(page, "Stories").click()
    page.get_by_role("heading", name="Stories", exact=True).wait_for()
    assert_accessible(page, "story-wall")
    # The customer's name is in the demo story's own words, and is not on the wall.
    assert "Marlow" not in page.content()

    page.locator("summary", has_text="Find stories").click()
    page.get_by_label("Search").fill("allotment")
    page.get_by_role("button", name="Show").click()
    story = page.locator("article.story-card").first
    story.get_by_text("The customer rings most weeks").wait_for()
    before = story.locator(".thanks__count").inner_text()
    assert before.startswith("3 thanks")

    story.get_by_role("button", name="Thank Aisha Khan").click()
    story.get_by_role("button", name="Thanked Aisha Khan · undo").wait_for()
    assert story.locator(".thanks__count").inner_text().startswith("4 thanks")
    assert "Marcus Webb" in story.locator(".thanks__count").inner_text()
    assert_accessible(page, "story-thanked")

    told = Notification.objects.get(
        kind="story_thanked", recipient__email="agent@demo.test", title__startswith="Marcus Webb"
    )
    assert told.email_status == DeliveryStatus.NOT_EMAILED
    page.context.clear_cookies()
    log_in(page, "agent@demo.test")
    page.goto("/notifications/")
    page.get_by_text("Marcus Webb thanked you for your Time and attention story").wait_for()
