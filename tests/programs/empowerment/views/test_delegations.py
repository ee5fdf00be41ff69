from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation, TeamRole
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.delegations import delegate_approvals
from tests.factories import UserFactory, place

DELEGATE = reverse("empowerment:delegate")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def handing(to, first: int = 0, last: int = 3) -> dict:
    return {"delegate": to.pk, "starts_on": days(first), "ends_on": days(last)}


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 403),
        ("finance_user", 403),
        ("admin_user", 403),
        ("organiser", 403),
        ("nobody", 403),
        ("manager", 200),
        ("other_manager", 200),
    ],
)
def test_only_managers_delegate(client, request, person, status):
    client.force_login(request.getfixturevalue(person))

    assert client.get(DELEGATE).status_code == status
    if status == 403:
        assert client.post(DELEGATE, {}).status_code == 403


def test_the_inbox_leads_a_manager_to_delegate(client, manager, programme):
    client.force_login(manager)

    html = client.get(reverse("empowerment:approvals")).content.decode()

    assert f'href="{DELEGATE}">Away? Delegate your approvals</a>' in html


def test_the_choice_is_of_other_active_managers(client, manager, other_manager, agent, team):
    gone = place(UserFactory(name="Gone Manager"), team, TeamRole.MANAGER)
    gone.is_active = False
    gone.save()
    client.force_login(manager)

    html = client.get(DELEGATE).content.decode()
    select = html.split('name="delegate"')[1].split("</select>")[0]

    assert f'value="{other_manager.pk}">Marcus Other ({other_manager.email})' in select
    assert "Maya Manager" not in select
    assert "Aisha Agent" not in select and "Gone Manager" not in select


def test_a_manager_delegates_from_today_and_waiting_requests_move(
    client, manager, other_manager, agent, logged
):
    gesture = logged(agent, cost="60.00")
    client.force_login(manager)

    response = client.post(DELEGATE, handing(other_manager), follow=True)

    assert response.redirect_chain == [(DELEGATE, 302)]
    html = response.content.decode()
    assert "Marcus Other decides your teams’ requests from" in html
    assert "Your waiting requests have moved to them" in html
    given = html.split('id="given-heading"')[1].split("</section>")[0]
    assert "Marcus Other" in given and ">Now</span>" in given
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate) == (manager, other_manager)
    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.assignee == other_manager and "Maya Manager is away" in step.note

    client.force_login(other_manager)
    received = client.get(DELEGATE).content.decode().split('id="received-heading"')[1]
    assert "Maya Manager" in received.split("</section>")[0]


def test_a_later_delegation_is_listed_as_upcoming(client, manager, other_manager):
    client.force_login(manager)

    html = client.post(DELEGATE, handing(other_manager, 5, 9), follow=True).content.decode()

    assert "Your waiting requests have moved" not in html
    assert ">Upcoming</span>" in html.split('id="given-heading"')[1].split("</section>")[0]


def test_past_and_cancelled_delegations_are_not_listed(client, manager, other_manager):
    Delegation.objects.create(
        delegator=manager,
        delegate=other_manager,
        starts_on=timezone.localdate() - timedelta(days=9),
        ends_on=timezone.localdate() - timedelta(days=2),
    )
    Delegation.objects.create(
        delegator=manager,
        delegate=other_manager,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        cancelled_at=timezone.now(),
    )
    client.force_login(manager)

    html = client.get(DELEGATE).content.decode()

    assert "Nobody: you decide your own teams’ requests." in html


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"starts_on": days(3), "ends_on": days(1)}, "ends_on", "cannot be before the first"),
        ({"starts_on": days(-5), "ends_on": days(-1)}, "starts_on", "cannot be in the past"),
        ({"starts_on": "soon"}, "starts_on", "Enter a valid date."),
        ({"ends_on": ""}, "ends_on", "This field is required."),
        ({"delegate": ""}, "delegate", "This field is required."),
        ({"delegate": "999999"}, "delegate", "Choose one of the listed managers."),
        ({"ends_on": "9999-12-31"}, "ends_on", "Choose a day before"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_kept(
    client, manager, other_manager, data, field, error
):
    client.force_login(manager)
    posted = {**handing(other_manager), **data}

    response = client.post(DELEGATE, posted)

    html = response.content.decode()
    assert response.status_code == 200
    errors = html.split(f'id="id_{field}_errors"')[1].split("</div>")[0]
    assert error in errors
    if field != "delegate":
        assert f'value="{posted[field]}"' in html or posted[field] == ""
    assert not Delegation.objects.exists()


def test_delegating_to_yourself_or_an_agent_is_refused(client, manager, agent):
    client.force_login(manager)

    for person in (manager, agent):
        html = client.post(DELEGATE, handing(person)).content.decode()
        assert "Choose one of the listed managers." in html
    assert not Delegation.objects.exists()


def test_an_overlapping_delegation_is_refused_with_a_clear_message(
    client, manager, other_manager, team
):
    delegate_approvals(
        delegator=manager,
        delegate=other_manager,
        starts_on=timezone.localdate() + timedelta(days=2),
        ends_on=timezone.localdate() + timedelta(days=6),
    )
    client.force_login(manager)

    response = client.post(DELEGATE, handing(other_manager, 4, 8))

    html = response.content.decode()
    assert 'class="alert alert--error" role="alert"' in html
    assert "You already have a delegation covering some of those dates." in html
    assert Delegation.objects.count() == 1


def test_a_manager_cancels_their_delegation_from_the_page(client, manager, other_manager):
    from django.urls import reverse
    from django.utils import timezone

    from programs.empowerment.services.delegations import delegate_approvals

    today = timezone.localdate()
    delegation = delegate_approvals(
        delegator=manager, delegate=other_manager, starts_on=today, ends_on=today
    )
    client.force_login(other_manager)
    url = reverse("empowerment:delegation-cancel", args=[delegation.pk])
    assert client.post(url).status_code == 404  # not theirs to cancel
    client.force_login(manager)
    assert "Cancel" in client.get(reverse("empowerment:delegate")).content.decode()
    client.post(url)
    delegation.refresh_from_db()
    assert delegation.cancelled_at is not None
