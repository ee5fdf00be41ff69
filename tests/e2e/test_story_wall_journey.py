"""An agent reads the story wall, finds a colleague's story and thanks it; the colleague sees
who thanked them in the portal. Without the customer's name anywhere on the wall."""

import pytest
from django.core.management import call_command

from programs.notifications.models import DeliveryStatus, Notification
from tests.e2e.header import log_in, nav_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agent_thanks_a_colleagues_story_and_the_colleague_is_told(page, assert_accessible):
    call_command("seed_demo")
    log_in(page, "agent@demo.test")
    nav_link(page, "Stories").click()
    page.get_by_role("heading", name="Stories", exact=True).wait_for()
    assert_accessible(page, "story-wall")
    # A customer's name is in a demo story's own words ("Mrs Marlow"), and not on the wall.
    assert "Marlow" not in page.content()

    page.locator("summary", has_text="Find stories").click()
    page.get_by_label("Search").fill("tenth birthday")
    page.get_by_role("button", name="Show").click()
    story = page.locator("article.story-card").first
    story.get_by_text("stuck at the depot").wait_for()
    assert story.locator(".thanks__count").inner_text().startswith("No thanks yet")

    story.get_by_role("button", name="Thank Tom Hughes").click()
    story.get_by_role("button", name="Thanked Tom Hughes · undo").wait_for()
    assert story.locator(".thanks__count").inner_text() == "1 thank: Aisha Khan"
    assert_accessible(page, "story-thanked")

    told = Notification.objects.get(
        kind="story_thanked", recipient__email="agent2@demo.test", title__startswith="Aisha Khan"
    )
    assert told.email_status == DeliveryStatus.NOT_EMAILED
    page.context.clear_cookies()
    log_in(page, "agent2@demo.test")
    page.goto("/notifications/")
    page.get_by_text("Aisha Khan thanked you for your Gift story").wait_for()
