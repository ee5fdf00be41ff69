"""An administrator invites a new colleague from /people/; the colleague opens the e-mailed link,
chooses a password and arrives signed in, in their team."""

import pytest
from django.core.management import call_command

from accounts.models import Membership, User
from programs.notifications.models import Notification
from tests.e2e.header import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_invites_and_the_invitee_joins(page, assert_accessible):
    call_command("seed_demo")
    log_in(page, "admin@demo.test")
    page.goto("/people/")
    page.get_by_role("heading", name="People", exact=True).wait_for()
    assert_accessible(page, "people-list")

    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("E-mail address").fill("nell.starter@demo.test")
    page.get_by_label("Name").fill("Nell Starter")
    team = Membership.objects.filter(role="agent").select_related("team").first().team
    page.locator("#id_team").select_option(label=team.name)
    page.locator("#id_team_role").select_option("agent")
    assert_accessible(page, "people-invite")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("An invitation is on its way to nell.starter@demo.test").wait_for()
    log_out(page)

    link = Notification.objects.get(kind="person_invited").link
    page.goto(link)
    page.get_by_role("heading", name="Welcome, Nell Starter").wait_for()
    assert_accessible(page, "accept-invitation")
    page.get_by_label("Choose a password").fill("a long and unusual passphrase 42")
    page.get_by_label("The same password again").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name="Join").click()

    page.get_by_role("heading", name="Hello, Nell").wait_for()
    nell = User.objects.get(email="nell.starter@demo.test")
    assert Membership.objects.get(user=nell).team == team

    page.goto(link)
    page.get_by_role("heading", name="This invitation has already been used.").wait_for()
