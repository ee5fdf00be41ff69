"""Who may grant what in the user admin, proved by posting the admin's own pages.

The "people editor" is a back-office person with every permission on people, roles and
memberships, but who is not an administrator: they run the organisation's people, and must
never be able to hand themselves (or anyone) the keys to money or to the admin itself.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership, OrgRole, RoleName, TeamRole, User
from programs.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory, grant, place, staff_with
from tests.support.admin_pages import add_inline_row, change_form_data, inline_row_of

PEOPLE_EDITOR = [
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_orgrole",
    "accounts.add_orgrole",
    "accounts.change_orgrole",
    "accounts.delete_orgrole",
    "accounts.view_membership",
    "accounts.add_membership",
    "accounts.change_membership",
    "accounts.delete_membership",
    "accounts.view_team",
]
NEW_PASSWORD = "a long and unusual passphrase 2031"
REFUSED_ROLE = "Only an administrator may grant or revoke"
REFUSED_PASSWORD = "Only an administrator may set someone else"


@pytest.fixture
def editor(db) -> User:
    return staff_with(UserFactory(name="Hana People"), *PEOPLE_EDITOR)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def password_url(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def post_role_row_change(client, person: User, role: str, /, **change: str):
    """Post the person's admin page with their ``role`` row changed as ``change`` says."""
    url = change_url(person)
    data = change_form_data(client, url)
    row = inline_row_of(data, "org_roles", role=role)
    data.update({f"org_roles-{row}-{name}": value for name, value in change.items()})
    return client.post(url, data)


def audited(action: str, subject: User) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action=action, subject_id=str(subject.pk)).select_related("actor")
    )


@pytest.mark.parametrize("role", [RoleName.ADMIN, RoleName.FINANCE])
@pytest.mark.parametrize("whom", ["themself", "someone else"])
def test_a_people_editor_cannot_grant_admin_or_finance_on_the_user_page(
    editor_client, editor, nobody, role, whom
):
    target = editor if whom == "themself" else nobody
    url = change_url(target)
    data = add_inline_row(change_form_data(editor_client, url), "org_roles", role=role)

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert REFUSED_ROLE in response.content.decode()
    assert not OrgRole.objects.filter(user=target, role=role).exists()
    target.refresh_from_db()
    assert not target.is_superuser
    assert audited("role.granted", target) == []


def test_a_people_editor_cannot_revoke_finance_even_their_own(editor_client, editor):
    grant(editor, RoleName.FINANCE)

    response = post_role_row_change(editor_client, editor, "finance", DELETE="on")

    assert response.status_code == 200
    assert REFUSED_ROLE in response.content.decode()
    assert OrgRole.objects.filter(user=editor, role=RoleName.FINANCE).exists()
    assert audited("role.revoked", editor) == []


def test_a_people_editor_cannot_turn_an_organiser_row_into_finance(editor_client, nobody):
    grant(nobody, RoleName.ORGANISER)

    response = post_role_row_change(editor_client, nobody, "organiser", role="finance")

    assert response.status_code == 200
    assert REFUSED_ROLE in response.content.decode()
    assert list(OrgRole.objects.filter(user=nobody).values_list("role", flat=True)) == ["organiser"]


@pytest.mark.parametrize("whom", ["themself", "someone else"])
def test_a_people_editor_cannot_set_staff_or_superuser(editor_client, editor, nobody, whom):
    target = editor if whom == "themself" else nobody
    before = (target.is_staff, target.is_superuser)
    url = change_url(target)
    data = change_form_data(editor_client, url) | {"is_staff": "on", "is_superuser": "on"}
    updates = len(audited("person.updated", target))

    editor_client.post(url, data)

    target.refresh_from_db()
    assert (target.is_staff, target.is_superuser) == before
    assert not target.is_superuser
    assert len(audited("person.updated", target)) == updates


def test_a_people_editor_cannot_set_another_persons_password(editor_client, nobody):
    response = editor_client.post(
        password_url(nobody), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert REFUSED_PASSWORD in response.content.decode()
    nobody.refresh_from_db()
    assert nobody.check_password(PASSWORD)
    assert audited("person.password_set", nobody) == []


def test_a_people_editor_cannot_disable_another_persons_password(editor_client, nobody):
    response = editor_client.post(
        password_url(nobody), {"usable_password": "false", "unset-password": "1"}
    )

    assert response.status_code == 200
    assert REFUSED_PASSWORD in response.content.decode()
    nobody.refresh_from_db()
    assert nobody.check_password(PASSWORD)


def test_a_people_editor_cannot_set_a_superusers_password(editor_client, admin_user):
    response = editor_client.post(
        password_url(admin_user), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)
    assert audited("person.password_set", admin_user) == []


@pytest.mark.parametrize("holder", ["admin_user", "finance_user"])
def test_a_people_editor_cannot_change_an_administrators_or_finances_account(
    request, editor, admin_client, holder
):
    """Changing their e-mail address would let a password reset take their account."""
    target = request.getfixturevalue(holder)
    data = change_form_data(admin_client, change_url(target))
    client = admin_client
    client.force_login(editor)

    response = client.post(change_url(target), data | {"email": "mine@example.test"})

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.email != "mine@example.test"


def test_a_people_editor_may_set_their_own_password_and_it_is_audited(editor_client, editor):
    response = editor_client.post(
        password_url(editor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    [entry] = audited("person.password_set", editor)
    assert entry.actor == editor
    assert entry.data == {"usable": True}


def test_a_people_editor_grants_organiser_and_changes_memberships_audited_as_them(
    editor_client, editor, nobody, team, other_team
):
    place(nobody, team, TeamRole.AGENT)
    url = change_url(nobody)
    data = change_form_data(editor_client, url)
    data[f"memberships-{inline_row_of(data, 'memberships', team=team.pk)}-role"] = "manager"
    add_inline_row(data, "memberships", team=other_team.pk, role="agent")
    add_inline_row(data, "org_roles", role="organiser")

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert OrgRole.objects.filter(user=nobody, role=RoleName.ORGANISER).exists()
    assert dict(Membership.objects.filter(user=nobody).values_list("team_id", "role")) == {
        team.pk: "manager",
        other_team.pk: "agent",
    }
    [granted] = audited("role.granted", nobody)
    assert granted.actor == editor and granted.data == {"role": "organiser"}
    changes = [e for e in audited("membership.changed", nobody) if e.actor == editor]
    assert sorted((e.data["team"], e.data["before"], e.data["after"]) for e in changes) == sorted(
        [(team.pk, "agent", "manager"), (other_team.pk, None, "agent")]
    )


def test_a_people_editor_removes_a_membership_audited_as_them(editor_client, editor, nobody, team):
    place(nobody, team, TeamRole.AGENT)
    url = change_url(nobody)
    data = change_form_data(editor_client, url)
    data[f"memberships-{inline_row_of(data, 'memberships', team=team.pk)}-DELETE"] = "on"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert not Membership.objects.filter(user=nobody).exists()
    [removed] = [e for e in audited("membership.changed", nobody) if e.data["after"] is None]
    assert removed.actor == editor


def test_an_administrator_grants_finance_and_it_is_audited(admin_client, admin_user, nobody):
    url = change_url(nobody)
    data = add_inline_row(change_form_data(admin_client, url), "org_roles", role="finance")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    [granted] = audited("role.granted", nobody)
    assert granted.actor == admin_user and granted.data == {"role": "finance"}


def test_an_administrator_changing_a_role_row_revokes_the_old_role(
    admin_client, admin_user, nobody
):
    grant(nobody, RoleName.ORGANISER)

    response = post_role_row_change(admin_client, nobody, "organiser", role="finance")

    assert response.status_code == 302
    assert list(OrgRole.objects.filter(user=nobody).values_list("role", flat=True)) == ["finance"]
    [revoked] = audited("role.revoked", nobody)
    assert revoked.actor == admin_user and revoked.data == {"role": "organiser"}


def test_an_administrator_revokes_finance_and_it_is_audited(admin_client, admin_user, nobody):
    grant(nobody, RoleName.FINANCE)

    response = post_role_row_change(admin_client, nobody, "finance", DELETE="on")

    assert response.status_code == 302
    assert not OrgRole.objects.filter(user=nobody).exists()
    [revoked] = audited("role.revoked", nobody)
    assert revoked.actor == admin_user


def test_an_administrator_sets_a_superusers_password_and_it_is_audited(admin_client, admin_user):
    other_admin = grant(UserFactory(name="Ola Admin"), RoleName.ADMIN)

    response = admin_client.post(
        password_url(other_admin), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    other_admin.refresh_from_db()
    assert other_admin.check_password(NEW_PASSWORD)
    [entry] = audited("person.password_set", other_admin)
    assert entry.actor == admin_user
    assert NEW_PASSWORD not in str(entry.data) and other_admin.password not in str(entry.data)


def test_an_administrator_gives_someone_the_admin_site_and_it_is_audited(
    admin_client, admin_user, nobody
):
    url = change_url(nobody)
    data = change_form_data(admin_client, url) | {"is_staff": "on", "is_superuser": "on"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    nobody.refresh_from_db()
    # The superuser flag follows the admin role only, so it cannot drift from the roles.
    assert nobody.is_staff and not nobody.is_superuser
    [entry] = audited("person.updated", nobody)
    assert entry.actor == admin_user
    assert entry.data == {"before": {"is_staff": False}, "after": {"is_staff": True}}


@pytest.mark.parametrize("who", ["admin_user", "editor"])
def test_people_created_in_the_admin_are_audited(request, client, who):
    actor = request.getfixturevalue(who)
    client.force_login(actor)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.test",
            "name": "New Person",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(email="new.person@example.test")
    assert created.check_password(NEW_PASSWORD)
    assert not created.is_staff and not created.is_superuser
    [entry] = audited("person.created", created)
    assert entry.actor == actor
    assert entry.data == {"email": "new.person@example.test"}


def test_deactivating_in_the_admin_is_audited_with_the_administrator(
    admin_client, admin_user, nobody
):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [nobody.pk]},
    )

    assert response.status_code == 302
    nobody.refresh_from_db()
    assert not nobody.is_active
    [entry] = audited("person.deactivated", nobody)
    assert entry.actor == admin_user


def test_an_administrator_reactivates_a_deactivated_person_and_it_is_audited(
    admin_client, admin_user, nobody
):
    from programs.empowerment.services.delegations import deactivate_person

    deactivate_person(person=nobody, actor=admin_user)

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reactivate", "_selected_action": [nobody.pk]},
    )

    assert response.status_code == 302
    nobody.refresh_from_db()
    assert nobody.is_active
    [entry] = audited("person.reactivated", nobody)
    assert entry.actor == admin_user


@pytest.mark.parametrize("action", ["reactivate", "deactivate"])
def test_a_people_editor_can_neither_deactivate_nor_reactivate(
    editor_client, admin_user, nobody, action
):
    from programs.empowerment.services.delegations import deactivate_person

    if action == "reactivate":
        deactivate_person(person=nobody, actor=admin_user)
    was_active = User.objects.get(pk=nobody.pk).is_active
    entries = AuditEntry.objects.count()

    editor_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, "_selected_action": [nobody.pk]},
    )

    nobody.refresh_from_db()
    assert nobody.is_active is was_active
    assert AuditEntry.objects.count() == entries


def test_the_membership_picker_in_the_admin_leaves_out_deactivated_people(
    admin_client, admin_user, team
):
    from programs.empowerment.services.delegations import deactivate_person

    UserFactory(name="Pat Present")
    gone = UserFactory(name="Pat Gone")
    deactivate_person(person=gone, actor=admin_user)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": "Pat"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Pat Present"]


def test_the_people_list_in_the_admin_still_finds_deactivated_people(admin_client, admin_user):
    """The admin's own list is where a deactivated person is found to be reactivated."""
    from programs.empowerment.services.delegations import deactivate_person

    gone = UserFactory(name="Pat Gone")
    deactivate_person(person=gone, actor=admin_user)

    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "Pat"})

    assert "Pat Gone" in response.content.decode()


def test_someone_who_may_only_view_memberships_can_still_rename_a_person(client, nobody, team):
    place(nobody, team, TeamRole.AGENT)
    renamer = staff_with(
        UserFactory(name="Rae Renamer"),
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_membership",
        "accounts.view_orgrole",
    )
    client.force_login(renamer)
    url = change_url(nobody)

    data = change_form_data(client, url) | {"name": "Nia Renamed"}
    # A view-only row is shown as text, so the browser sends none of its fields back.
    for field in ("team", "role"):
        del data[f"memberships-0-{field}"]

    response = client.post(url, data)

    assert response.status_code == 302
    nobody.refresh_from_db()
    assert nobody.name == "Nia Renamed"
    assert Membership.objects.get(user=nobody).role == TeamRole.AGENT
    [entry] = audited("person.updated", nobody)
    assert entry.actor == renamer and entry.data["after"] == {"name": "Nia Renamed"}
