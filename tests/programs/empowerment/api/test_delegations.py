from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Delegation, TeamRole
from programs.audit.models import AuditEntry
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.gestures import log_gesture
from tests.factories import TeamFactory, UserFactory, gesture_input, place

DELEGATIONS_URL = reverse("api:delegations")
TODAY = timezone.localdate


def day(offset: int = 0) -> str:
    return (TODAY() + timedelta(days=offset)).isoformat()


@pytest.fixture
def deputy(db):
    """A manager of another team who may cover for Care North's manager."""
    return place(UserFactory(name="Dev Deputy"), TeamFactory(name="Care East"), TeamRole.MANAGER)


def test_a_manager_delegates_their_approvals_for_some_days(api_client, manager, deputy):
    api_client.force_authenticate(manager)

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": deputy.pk, "starts_on": day(1), "ends_on": day(7)},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    delegation = Delegation.objects.get()
    assert body["id"] == delegation.pk
    assert (body["delegator"], body["delegate"]) == (manager.pk, deputy.pk)
    assert (body["starts_on"], body["ends_on"]) == (day(1), day(7))
    entry = AuditEntry.objects.get(action="delegation.created")
    assert entry.actor == manager
    assert (entry.data["delegator"], entry.data["delegate"]) == (manager.pk, deputy.pk)


def test_a_delegation_starting_today_moves_open_requests_to_the_delegate(
    api_client, agent, manager, deputy, budget, category
):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    api_client.force_authenticate(manager)

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": deputy.pk, "starts_on": day(), "ends_on": day(2)},
        format="json",
    )

    assert response.status_code == 201
    step = ApprovalRequest.objects.get(gesture=gesture)
    assert step.assignee == deputy and "Reassigned from" in step.note
    api_client.force_authenticate(deputy)
    inbox = api_client.get(reverse("api:approvals")).json()["results"]
    assert [row["id"] for row in inbox] == [step.pk]


def test_the_list_shows_delegations_given_and_received(api_client, manager, deputy, team):
    api_client.force_authenticate(manager)
    api_client.post(
        DELEGATIONS_URL,
        {"delegate": deputy.pk, "starts_on": day(1), "ends_on": day(2)},
        format="json",
    )
    colleague = place(UserFactory(name="Cora Co-manager"), team, TeamRole.MANAGER)
    api_client.force_authenticate(colleague)
    api_client.post(
        DELEGATIONS_URL,
        {"delegate": manager.pk, "starts_on": day(5), "ends_on": day(6)},
        format="json",
    )

    api_client.force_authenticate(manager)
    rows = api_client.get(DELEGATIONS_URL).json()["results"]

    assert [(row["delegator"], row["delegate"]) for row in rows] == [
        (colleague.pk, manager.pk),
        (manager.pk, deputy.pk),
    ]
    api_client.force_authenticate(deputy)
    assert len(api_client.get(DELEGATIONS_URL).json()["results"]) == 1


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("agent", "delegate"),  # not a manager
        ("finance_user", "delegate"),
        ("manager", "delegate"),  # themselves
    ],
)
def test_delegating_to_someone_who_is_not_another_manager_is_a_400(
    api_client, request, manager, who, field
):
    api_client.force_authenticate(manager)

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": request.getfixturevalue(who).pk, "starts_on": day(), "ends_on": day(1)},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Delegation.objects.exists()


def test_delegating_to_a_deactivated_manager_is_a_400(api_client, manager, deputy):
    deputy.is_active = False
    deputy.save()
    api_client.force_authenticate(manager)

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": deputy.pk, "starts_on": day(), "ends_on": day(1)},
        format="json",
    )

    assert response.status_code == 400 and "delegate" in response.json()


MISSING = object()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": day(3), "ends_on": day(1)}, "ends_on"),  # ends before it starts
        ({"starts_on": day(-5), "ends_on": day(-1)}, "starts_on"),  # in the past
        ({"starts_on": "tomorrow"}, "starts_on"),
        ({"ends_on": "2026-02-30"}, "ends_on"),
        ({"starts_on": MISSING}, "starts_on"),
        ({"ends_on": MISSING}, "ends_on"),
        ({"delegate": MISSING}, "delegate"),
        ({"delegate": None}, "delegate"),
        ({"delegate": "abc"}, "delegate"),
        ({"delegate": 987654}, "delegate"),
        ({"delegate": 10**30}, "delegate"),
        ({"delegate": -1}, "delegate"),
    ],
)
def test_bad_delegation_input_is_a_400_naming_the_field(api_client, manager, deputy, data, field):
    api_client.force_authenticate(manager)
    body = {"delegate": deputy.pk, "starts_on": day(1), "ends_on": day(2), **data}
    body = {key: value for key, value in body.items() if value is not MISSING}

    response = api_client.post(DELEGATIONS_URL, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(("starts", "ends"), [(1, 3), (3, 3), (0, 10), (2, 2), (0, 1)])
def test_an_overlapping_delegation_is_a_409(api_client, manager, deputy, starts, ends):
    other = place(UserFactory(name="Otto Other"), TeamFactory(name="Care West"), TeamRole.MANAGER)
    api_client.force_authenticate(manager)
    first = {"delegate": deputy.pk, "starts_on": day(1), "ends_on": day(3)}
    assert api_client.post(DELEGATIONS_URL, first, format="json").status_code == 201

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": other.pk, "starts_on": day(starts), "ends_on": day(ends)},
        format="json",
    )

    assert response.status_code == 409
    assert Delegation.objects.count() == 1


def test_back_to_back_delegations_do_not_overlap(api_client, manager, deputy):
    api_client.force_authenticate(manager)
    for starts, ends in [(1, 3), (4, 6)]:
        response = api_client.post(
            DELEGATIONS_URL,
            {"delegate": deputy.pk, "starts_on": day(starts), "ends_on": day(ends)},
            format="json",
        )
        assert response.status_code == 201


@pytest.mark.parametrize("who", ["agent", "finance_user", "admin_user", "organiser", "nobody"])
def test_only_managers_delegate(api_client, request, deputy, who):
    api_client.force_authenticate(request.getfixturevalue(who))

    response = api_client.post(
        DELEGATIONS_URL,
        {"delegate": deputy.pk, "starts_on": day(), "ends_on": day(1)},
        format="json",
    )

    assert response.status_code == 403
    assert api_client.get(DELEGATIONS_URL).status_code == 403
    assert not Delegation.objects.exists()


def test_delegations_need_credentials(api_client, deputy):
    body = {"delegate": deputy.pk, "starts_on": day(), "ends_on": day(1)}

    assert api_client.post(DELEGATIONS_URL, body, format="json").status_code == 401
    assert api_client.get(DELEGATIONS_URL).status_code == 401
