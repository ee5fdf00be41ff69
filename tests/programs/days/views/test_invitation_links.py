"""Invitation links on the organiser's page: revoking asks first (a page of its own, so it
works without JavaScript), and each link carries the hook its copy button is built on."""

from html import unescape

import pytest
from django.urls import reverse

from programs.days.services.days import revoke_invitation
from tests.factories import registered

pytestmark = pytest.mark.django_db


def revoke_url(link) -> str:
    return reverse("days:invitation-revoke", args=[link.pk])


def test_the_manage_page_links_to_a_confirmation_rather_than_revoking_in_one_tap(
    client, organiser, day, link
):
    client.force_login(organiser)
    html = client.get(reverse("days:day-manage", args=[day.pk])).content.decode()
    assert f'href="{revoke_url(link)}"' in html
    assert f'action="{revoke_url(link)}"' not in html


def test_getting_the_revoke_page_asks_and_changes_nothing(client, organiser, link):
    registered(link)
    client.force_login(organiser)
    response = client.get(revoke_url(link))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Revoke the link “Newsletter”?" in html
    assert f"/invite/{link.token}/" in html
    assert "The 1 registration already made through it stay as they are." in html
    assert f'<form method="post" action="{revoke_url(link)}"' in html
    assert "Yes, revoke the link" in html
    link.refresh_from_db()
    assert link.revoked_at is None


def test_posting_the_confirmation_revokes(client, organiser, day, link):
    client.force_login(organiser)
    response = client.post(revoke_url(link))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_revoked_link_sends_the_confirmation_back_to_the_day(client, organiser, day, link):
    revoke_invitation(invitation=link, actor=organiser)
    client.force_login(organiser)
    response = client.get(revoke_url(link))
    assert response.status_code == 302
    assert response["Location"] == reverse("days:day-manage", args=[day.pk]) + "#invitations"


def test_only_the_days_organisers_reach_the_revoke_page(client, link, agent):
    client.force_login(agent)
    assert client.get(revoke_url(link)).status_code == 403


def test_each_link_is_selectable_text_with_a_copy_hook_and_the_script_is_a_file(
    client, organiser, day, link
):
    client.force_login(organiser)
    html = client.get(reverse("days:day-manage", args=[day.pk])).content.decode()
    assert f'data-copy-from="invitation-url-{link.pk}"' in html
    assert f'id="invitation-url-{link.pk}" type="url" readonly value="http' in html
    assert '<script src="/static/portal/copy-link.js" defer></script>' in html
    # The button exists only once the script has run.
    assert "Copy link" not in html
