"""Invitations by e-mail: sent through the outbox, accepted once, never after they expire."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, OrgRole, RoleName, TeamRole, User
from portal.errors import Conflict, NotPermitted
from programs.audit.models import AuditEntry
from programs.notifications.models import Notification
from programs.people import services as people
from programs.people.invitations import accept_invitation, invite_person
from programs.people.models import PersonInvitation

GOOD_PASSWORD = "a long and unusual passphrase 42"


def accept_url(token: str) -> str:
    return reverse("people:accept-invitation", args=[token])


@pytest.fixture
def issued(admin_user, team):
    return invite_person(
        email="New.Starter@Example.test",
        name="Nell Starter",
        team=team,
        team_role=TeamRole.AGENT,
        roles=[RoleName.ORGANISER],
        actor=admin_user,
    )


def test_an_invitation_is_e_mailed_through_the_outbox_with_its_link(issued):
    notification = Notification.objects.get(kind="person_invited")
    assert notification.email == "new.starter@example.test"
    assert notification.link == accept_url(issued.token)
    # Only the hash of the link's secret is stored with the invitation.
    assert issued.token not in issued.invitation.token_hash


def test_the_invitation_e_mail_is_sent_with_the_link(
    admin_user, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = invite_person(email="x@example.test", name="Xi", actor=admin_user)
    [message] = mailoutbox
    assert accept_url(issued.token) in message.body
    assert message.to == ["x@example.test"]


def test_accepting_creates_the_person_with_the_team_and_roles_and_signs_them_in(
    client, issued, team, admin_user
):
    response = client.post(
        accept_url(issued.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    person = User.objects.get(email="new.starter@example.test")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert person.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=person, team=team).role == TeamRole.AGENT
    assert OrgRole.objects.filter(user=person, role=RoleName.ORGANISER).exists()
    entry = AuditEntry.objects.get(action="person.invitation_accepted")
    assert entry.actor == person and entry.data["invited_by"] == admin_user.pk
    created = AuditEntry.objects.get(action="person.created", subject_id=str(person.pk))
    assert created.data["invitation"] == issued.invitation.pk


def test_an_invitation_used_twice_is_refused_the_second_time(client, issued):
    form = {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    client.post(accept_url(issued.token), form)
    client.logout()

    again = client.post(accept_url(issued.token), form)

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert User.objects.filter(email="new.starter@example.test").count() == 1
    with pytest.raises(Conflict):
        accept_invitation(token=issued.token, password=None)


def test_an_expired_invitation_shows_a_clear_page(client, issued):
    PersonInvitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1),
        created_at=timezone.now() - timedelta(days=8),
    )

    page = client.get(accept_url(issued.token))
    posted = client.post(
        accept_url(issued.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert page.status_code == posted.status_code == 410
    assert "expired" in page.content.decode()
    assert not User.objects.filter(email="new.starter@example.test").exists()


@pytest.mark.parametrize("token", ["nothing-like-it", "x" * 64])
def test_an_unknown_link_is_a_404_page(client, db, token):
    assert client.get(accept_url(token)).status_code == 404


def test_a_link_with_characters_no_token_has_matches_no_page(client, db):
    assert client.get("/people/invitations/a%00b/").status_code == 404


def test_a_weak_password_is_refused_beside_the_field(client, issued):
    response = client.post(accept_url(issued.token), {"password1": "nell", "password2": "nell"})

    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="new.starter@example.test").exists()


def test_the_sso_button_appears_only_with_a_configured_provider(client, issued, settings):
    assert "Sign in with" not in client.get(accept_url(issued.token)).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{"provider_id": "entra", "name": "Contoso", "client_id": "x", "secret": "y"}]
        }
    }
    assert "Sign in with Contoso" in client.get(accept_url(issued.token)).content.decode()


def test_inviting_again_withdraws_the_earlier_invitation(issued, admin_user):
    again = invite_person(email="new.starter@example.test", name="Nell", actor=admin_user)

    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None
    assert PersonInvitation.objects.pending().get() == again.invitation


def test_the_database_keeps_one_pending_invitation_per_address(issued):
    with pytest.raises(IntegrityError):
        PersonInvitation.objects.create(
            email="NEW.starter@example.test",
            name="Twin",
            token_hash="0" * 64,
            expires_at=timezone.now() + timedelta(days=1),
        )


def test_a_person_who_already_has_an_account_is_not_invited(admin_user, agent):
    with pytest.raises(Conflict):
        invite_person(email=agent.email, name="Again", actor=admin_user)


def test_a_deactivated_person_is_invited_back_and_switched_on(client, admin_user, agent):
    people.deactivate_person(person=agent, actor=admin_user)
    issued = invite_person(email=agent.email, name=agent.name, actor=admin_user)

    client.post(accept_url(issued.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    agent.refresh_from_db()
    assert agent.is_active and agent.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
def test_hr_cannot_invite_someone_as_admin_or_finance(hr, role):
    with pytest.raises(NotPermitted):
        invite_person(email="x@example.test", name="X", roles=[role], actor=hr)


def test_hr_invites_through_the_page(client, hr, team):
    client.force_login(hr)
    response = client.post(
        reverse("people:invite"),
        {"email": "pat@example.test", "name": "Pat", "team": team.pk, "team_role": "agent"},
    )
    assert response.status_code == 302
    assert PersonInvitation.objects.get().invited_by == hr


def test_the_invite_form_shows_errors_beside_its_fields(client, hr, team):
    client.force_login(hr)
    response = client.post(
        reverse("people:invite"), {"email": "not an address", "name": "", "team": team.pk}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"email", "name", "team_role"} <= set(errors)


def test_an_agent_cannot_invite(agent):
    with pytest.raises(NotPermitted):
        invite_person(email="x@example.test", name="X", actor=agent)


def test_a_withdrawn_invitation_link_no_longer_works(client, issued, admin_user):
    client.force_login(admin_user)
    client.post(reverse("people:revoke-invitation", args=[issued.invitation.pk]))
    client.logout()

    response = client.get(accept_url(issued.token))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
