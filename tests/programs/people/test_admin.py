from django.urls import reverse

from accounts.models import OrgRole, RoleName, TeamRole
from accounts.permissions import access_for
from programs.audit.models import AuditEntry
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.gestures import log_gesture
from tests.factories import UserFactory, gesture_input, place


def _inline_post(user, *, roles=(), memberships=()) -> dict:
    data = {
        "email": user.email,
        "name": user.name,
        "org_roles-TOTAL_FORMS": str(len(roles)),
        "org_roles-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": "0",
    }
    for n, role in enumerate(roles):
        data[f"org_roles-{n}-role"] = role
        data[f"org_roles-{n}-user"] = str(user.pk)
    for n, (team, role) in enumerate(memberships):
        data[f"memberships-{n}-team"] = str(team.pk)
        data[f"memberships-{n}-role"] = role
        data[f"memberships-{n}-user"] = str(user.pk)
    return data


def test_granting_a_role_in_the_admin_is_audited(admin_client, admin_user, nobody, team):
    url = reverse("admin:accounts_user_change", args=[nobody.pk])
    response = admin_client.post(
        url, _inline_post(nobody, roles=["finance"], memberships=[(team, "agent")])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OrgRole.objects.filter(user=nobody, role=RoleName.FINANCE).exists()
    granted = AuditEntry.objects.get(action="role.granted", subject_id=str(nobody.pk))
    assert granted.actor == admin_user and granted.data == {"role": "finance"}
    assert AuditEntry.objects.filter(
        action="membership.changed", subject_id=str(nobody.pk)
    ).exists()


def test_deactivating_in_the_admin_reassigns_open_approvals(
    admin_client, manager, agent, team, programme, category, budget
):
    second = place(UserFactory(name="Zoe Second"), team, TeamRole.MANAGER)
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [manager.pk]},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.assignee == second
    assert not access_for(manager).roles


def test_adding_and_moving_members_on_the_team_page_goes_through_the_services(
    admin_client, admin_user, team, agent, nobody
):
    from tests.support.admin_pages import add_inline_row, change_form_data, inline_row_of

    url = reverse("admin:accounts_team_change", args=[team.pk])
    data = change_form_data(admin_client, url)
    # The agent's row is handed to someone else, and a new manager is added.
    data[f"memberships-{inline_row_of(data, 'memberships', user=agent.pk)}-user"] = str(nobody.pk)
    newcomer = UserFactory(name="Nico New")
    add_inline_row(data, "memberships", user=newcomer.pk, role="manager")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    members = dict(team.memberships.values_list("user_id", "role"))
    assert members == {nobody.pk: "agent", newcomer.pk: "manager"}
    changes = AuditEntry.objects.filter(action="membership.changed", actor=admin_user)
    assert sorted((e.subject_id, e.data["before"], e.data["after"]) for e in changes) == sorted(
        [
            (str(agent.pk), "agent", None),
            (str(nobody.pk), None, "agent"),
            (str(newcomer.pk), None, "manager"),
        ]
    )
