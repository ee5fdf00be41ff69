from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import TeamRole
from programs.audit.models import AuditEntry
from programs.empowerment.models import (
    ApprovalRequest,
    Budget,
    BudgetRequest,
    Gesture,
    GestureStatus,
)
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import delegate_approvals
from programs.empowerment.services.escalations import escalate_overdue
from programs.empowerment.services.gestures import log_gesture
from tests.factories import TeamFactory, UserFactory, allocated_budget, gesture_input, grant, place
from tests.support.api import listed_ids
from tests.support.queries import CapturedQueries, assert_same_query_count, capture_queries

pytestmark = pytest.mark.usefixtures("category")

APPROVALS_URL = reverse("api:approvals")
TODAY = timezone.localdate

APPROVAL_FIELDS = {
    "id",
    "kind",
    "subject_id",
    "level",
    "amount",
    "requested_by",
    "created_at",
    "due_at",
    "status",
    "team",
    "assignee",
    "note",
    "decided_by",
    "on_behalf_of",
    "decided_at",
    "comment",
}


def approval_url(pk: int) -> str:
    return reverse("api:approval", args=[pk])


def approve_url(pk: int) -> str:
    return reverse("api:approval-approve", args=[pk])


def decline_url(pk: int) -> str:
    return reverse("api:approval-decline", args=[pk])


@pytest.fixture
def deputy(db):
    """A manager of another team who may cover for Care North's manager."""
    return place(UserFactory(name="Dev Deputy"), TeamFactory(name="Care East"), TeamRole.MANAGER)


@pytest.fixture
def delegate_today(manager, deputy):
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=TODAY(), ends_on=TODAY())
    return deputy


@pytest.fixture
def delegate_tomorrow(manager, deputy):
    tomorrow = TODAY() + timedelta(days=1)
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=tomorrow, ends_on=tomorrow)
    return deputy


def _committed_and_spent(budget: Budget) -> tuple[Decimal, Decimal]:
    budget.refresh_from_db()
    return budget.committed, budget.spent


# The permission matrix for a Care North manager step: who sees it, approves it, declines it.

MATRIX = [
    # who, inbox answer, sees it in the inbox, answer to approve or decline
    ("agent", 403, False, 403),
    ("manager", 200, True, 200),
    ("other_manager", 200, False, 403),
    ("delegate_today", 200, True, 200),
    ("delegate_tomorrow", 200, False, 403),
    ("finance_user", 200, False, 403),
    ("admin_user", 403, False, 403),
    ("organiser", 403, False, 403),
    ("nobody", 403, False, 403),
]


@pytest.mark.parametrize(("who", "inbox", "sees", "_"), MATRIX)
def test_who_sees_a_manager_step_in_the_inbox(api_client, request, step, who, inbox, sees, _):
    api_client.force_authenticate(request.getfixturevalue(who))

    response = api_client.get(APPROVALS_URL)

    assert response.status_code == inbox
    if inbox == 200:
        assert (step.pk in listed_ids(response)) is sees


@pytest.mark.parametrize(("who", "_", "__", "answer"), MATRIX)
def test_who_may_approve_a_manager_step(
    api_client, request, step, waiting, budget, who, _, __, answer
):
    person = request.getfixturevalue(who)
    api_client.force_authenticate(person)

    response = api_client.post(approve_url(step.pk), {"comment": "Go ahead"}, format="json")

    assert response.status_code == answer, response.content
    step.refresh_from_db()
    waiting.refresh_from_db()
    if answer == 200:
        assert set(response.json()) == APPROVAL_FIELDS
        assert response.json()["status"] == "approved"
        assert response.json()["decided_by"] == person.pk
        assert (step.status, step.decided_by, step.comment) == ("approved", person, "Go ahead")
        assert waiting.status == GestureStatus.APPROVED
        assert _committed_and_spent(budget) == (0, Decimal("60.00"))
    else:
        assert "detail" in response.json()
        assert step.status == "pending" and waiting.status == GestureStatus.PENDING
        assert _committed_and_spent(budget) == (Decimal("60.00"), 0)


@pytest.mark.parametrize(("who", "_", "__", "answer"), MATRIX)
def test_who_may_decline_a_manager_step(
    api_client, request, step, waiting, budget, who, _, __, answer
):
    person = request.getfixturevalue(who)
    api_client.force_authenticate(person)

    response = api_client.post(
        decline_url(step.pk), {"reason": "Try a call-back first"}, format="json"
    )

    assert response.status_code == answer, response.content
    step.refresh_from_db()
    waiting.refresh_from_db()
    if answer == 200:
        assert response.json()["status"] == "declined"
        assert response.json()["comment"] == "Try a call-back first"
        assert step.status == "declined" and step.decided_by == person
        assert waiting.status == GestureStatus.DECLINED
        assert waiting.decision_reason == "Try a call-back first"
        assert _committed_and_spent(budget) == (0, 0)
    else:
        assert step.status == "pending" and waiting.status == GestureStatus.PENDING
        assert _committed_and_spent(budget) == (Decimal("60.00"), 0)


def test_a_delegate_decides_on_behalf_of_the_manager_and_the_audit_names_both(
    api_client, step, manager, delegate_today
):
    api_client.force_authenticate(delegate_today)

    response = api_client.post(approve_url(step.pk), {}, format="json")

    assert response.status_code == 200
    assert response.json()["decided_by"] == delegate_today.pk
    assert response.json()["on_behalf_of"] == manager.pk
    entry = AuditEntry.objects.get(action="approval.approved")
    assert (entry.actor, entry.on_behalf_of) == (delegate_today, manager)


def test_a_delegation_starting_today_visibly_moves_the_step_to_the_delegate(
    api_client, step, delegate_today
):
    api_client.force_authenticate(delegate_today)

    shown = api_client.get(approval_url(step.pk)).json()

    assert shown["assignee"] == delegate_today.pk
    assert "Reassigned from" in shown["note"]


# Nobody approves their own spend, by any route.


def test_an_agent_cannot_approve_their_own_gesture_even_as_their_managers_delegate(
    api_client, agent, manager, team, budget
):
    place(agent, TeamFactory(name="Care East"), TeamRole.MANAGER)  # a manager elsewhere too
    delegate_approvals(delegator=manager, delegate=agent, starts_on=TODAY(), ends_on=TODAY())
    gesture = log_gesture(agent=agent, team=team, **gesture_input(cost="60.00")).gesture
    own = ApprovalRequest.objects.get(gesture=gesture)
    api_client.force_authenticate(agent)

    assert own.pk not in listed_ids(api_client.get(APPROVALS_URL))
    response = api_client.post(approve_url(own.pk), {}, format="json")

    assert response.status_code == 403
    assert "own" in response.json()["detail"]
    own.refresh_from_db()
    assert own.status == "pending"


def test_a_manager_cannot_approve_their_own_top_up(api_client, manager, budget):
    topup = request_topup(budget=budget, amount="500.00", reason="Storm week", actor=manager)
    own = ApprovalRequest.objects.get(budget_request=topup)
    api_client.force_authenticate(manager)

    assert own.pk not in listed_ids(api_client.get(APPROVALS_URL))
    assert api_client.post(approve_url(own.pk), {}, format="json").status_code == 403
    assert api_client.post(decline_url(own.pk), {"reason": "x"}, format="json").status_code == 403


def test_finance_cannot_approve_their_own_top_up(api_client, finance_user, budget):
    place(finance_user, budget.team, TeamRole.MANAGER)
    topup = request_topup(budget=budget, amount="50.00", reason="Cover", actor=finance_user)
    own = ApprovalRequest.objects.get(budget_request=topup)
    api_client.force_authenticate(finance_user)

    assert own.pk not in listed_ids(api_client.get(APPROVALS_URL))
    response = api_client.post(approve_url(own.pk), {}, format="json")

    assert response.status_code == 403
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000.00")


def test_an_agent_in_finance_cannot_give_their_own_gesture_its_second_approval(
    api_client, agent, manager, finance_user, programme, budget
):
    grant(agent, "finance")
    gesture = log_gesture(agent=agent, **gesture_input(cost="300.00")).gesture
    first = ApprovalRequest.objects.get(gesture=gesture)
    api_client.force_authenticate(manager)
    assert api_client.post(approve_url(first.pk), {}, format="json").status_code == 200
    second = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    api_client.force_authenticate(agent)

    assert second.pk not in listed_ids(api_client.get(APPROVALS_URL))
    assert api_client.post(approve_url(second.pk), {}, format="json").status_code == 403

    api_client.force_authenticate(finance_user)
    assert api_client.post(approve_url(second.pk), {}, format="json").status_code == 200


# Bad input and state.


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}, {"comment": "No"}])
def test_a_decline_without_a_reason_is_a_400_naming_it(api_client, manager, step, budget, data):
    api_client.force_authenticate(manager)

    response = api_client.post(decline_url(step.pk), data, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    step.refresh_from_db()
    assert step.status == "pending"
    assert _committed_and_spent(budget) == (Decimal("60.00"), 0)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (approve_url, {"comment": "x" * 2001}),
        (approve_url, {"comment": "nul\x00byte"}),
        (decline_url, {"reason": "x" * 2001}),
        (decline_url, {"reason": ["a", "list"]}),
    ],
)
def test_bad_decision_input_is_a_400(api_client, manager, step, path, data):
    api_client.force_authenticate(manager)

    response = api_client.post(path(step.pk), data, format="json")

    assert response.status_code == 400
    step.refresh_from_db()
    assert step.status == "pending"


@pytest.mark.parametrize("raw", ["{", "[]", '"text"', "null"])
def test_a_malformed_body_is_a_400_not_a_500(api_client, manager, step, raw):
    api_client.force_authenticate(manager)

    response = api_client.post(decline_url(step.pk), raw, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (approve_url, approve_url),
        (approve_url, decline_url),
        (decline_url, approve_url),
        (decline_url, decline_url),
    ],
)
def test_deciding_a_decided_request_again_is_a_409(api_client, manager, step, first, second):
    api_client.force_authenticate(manager)
    assert api_client.post(first(step.pk), {"reason": "No"}, format="json").status_code == 200

    response = api_client.post(second(step.pk), {"reason": "Changed my mind"}, format="json")

    assert response.status_code == 409
    assert "already" in response.json()["detail"]


def test_a_second_approver_gets_409_once_the_first_has_decided(
    api_client, manager, team, step, budget
):
    co_manager = place(UserFactory(name="Cora Co-manager"), team, TeamRole.MANAGER)
    api_client.force_authenticate(co_manager)
    assert api_client.post(approve_url(step.pk), {}, format="json").status_code == 200
    api_client.force_authenticate(manager)

    assert api_client.post(approve_url(step.pk), {}, format="json").status_code == 409
    assert _committed_and_spent(budget) == (0, Decimal("60.00"))


@pytest.mark.parametrize("pk", [987654, 2**63 - 1, 10**30])
def test_an_unknown_request_is_a_404(api_client, manager, pk):
    api_client.force_authenticate(manager)

    assert api_client.post(approve_url(pk), {}, format="json").status_code == 404
    assert api_client.post(decline_url(pk), {"reason": "No"}, format="json").status_code == 404
    assert api_client.get(approval_url(pk)).status_code == 404


def test_an_approval_the_budget_cannot_cover_is_a_409_with_the_numbers(
    api_client, agent, manager, finance_user, team, programme
):
    budget = allocated_budget(team, programme, amount="5.00")
    gesture = log_gesture(agent=agent, **gesture_input(cost="10.00")).gesture
    assert gesture.status == GestureStatus.PENDING and gesture.over_budget
    over = ApprovalRequest.objects.get(gesture=gesture)
    api_client.force_authenticate(manager)

    response = api_client.post(approve_url(over.pk), {}, format="json")

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "5.00" in detail and "10.00" in detail and "top-up" in detail
    over.refresh_from_db()
    assert over.status == "pending"
    assert _committed_and_spent(budget) == (0, 0)

    # Once finance tops the budget up, the same approval goes through.
    topup = request_topup(budget=budget, amount="20.00", reason="Room for it", actor=manager)
    api_client.force_authenticate(finance_user)
    topup_step = ApprovalRequest.objects.get(budget_request=topup)
    assert topup_step.pk in listed_ids(api_client.get(APPROVALS_URL, {"kind": "budget_request"}))
    assert api_client.post(approve_url(topup_step.pk), {}, format="json").status_code == 200
    assert BudgetRequest.objects.get().status == "approved"
    api_client.force_authenticate(manager)
    assert api_client.post(approve_url(over.pk), {}, format="json").status_code == 200
    budget.refresh_from_db()
    assert (budget.amount, budget.committed, budget.spent) == (
        Decimal("25.00"),
        0,
        Decimal("10.00"),
    )


# The second tier.


def test_above_the_second_tier_the_manager_then_finance_approve(
    api_client, agent, manager, finance_user, budget
):
    gesture = log_gesture(agent=agent, **gesture_input(cost="300.00")).gesture
    first = ApprovalRequest.objects.get(gesture=gesture)
    api_client.force_authenticate(manager)

    response = api_client.post(approve_url(first.pk), {"comment": "Fine by me"}, format="json")

    assert response.status_code == 200 and response.json()["level"] == 1
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.PENDING
    second = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    assert second.level == 2
    assert second.pk not in listed_ids(api_client.get(APPROVALS_URL))

    api_client.force_authenticate(finance_user)
    inbox = api_client.get(APPROVALS_URL).json()["results"]
    assert [(row["id"], row["level"], row["amount"]) for row in inbox] == [(second.pk, 2, "300.00")]
    response = api_client.post(approve_url(second.pk), {}, format="json")

    assert response.status_code == 200
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED
    assert _committed_and_spent(budget) == (0, Decimal("300.00"))
    shown = api_client.get(reverse("api:gesture", args=[gesture.pk])).json()
    assert [
        (s["level"], s["status"], s["decided_by"], s["comment"]) for s in shown["approvals"]
    ] == [(1, "approved", manager.pk, "Fine by me"), (2, "approved", finance_user.pk, "")]


def test_finance_declining_the_second_tier_releases_the_commitment(
    api_client, agent, manager, finance_user, budget
):
    gesture = log_gesture(agent=agent, **gesture_input(cost="300.00")).gesture
    api_client.force_authenticate(manager)
    api_client.post(approve_url(ApprovalRequest.objects.get(gesture=gesture).pk), format="json")
    second = ApprovalRequest.objects.get(gesture=gesture, status="pending")
    api_client.force_authenticate(finance_user)

    response = api_client.post(decline_url(second.pk), {"reason": "Too much"}, format="json")

    assert response.status_code == 200
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.DECLINED
    assert _committed_and_spent(budget) == (0, 0)


# The inbox and the history.


def test_inbox_items_carry_the_documented_fields(api_client, manager, step, waiting, agent, team):
    api_client.force_authenticate(manager)

    response = api_client.get(APPROVALS_URL)

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    (item,) = body["results"]
    assert set(item) == APPROVAL_FIELDS
    assert item["kind"] == "gesture" and item["subject_id"] == waiting.pk
    assert (item["level"], item["amount"], item["status"]) == (1, "60.00", "pending")
    assert (item["requested_by"], item["team"], item["assignee"]) == (agent.pk, team.pk, manager.pk)
    assert item["created_at"] and item["due_at"]
    assert item["decided_by"] is None and item["decided_at"] is None


def test_inbox_is_oldest_first_and_history_newest_first(api_client, agent, manager, budget):
    steps = [
        ApprovalRequest.objects.get(
            gesture=log_gesture(
                agent=agent, **gesture_input(cost="60.00", customer_ref=f"T-{n}")
            ).gesture
        )
        for n in range(3)
    ]
    api_client.force_authenticate(manager)

    assert listed_ids(api_client.get(APPROVALS_URL)) == [s.pk for s in steps]
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "pending"})) == [s.pk for s in steps]

    for s in steps[:2]:
        api_client.post(approve_url(s.pk), {}, format="json")
    assert listed_ids(api_client.get(APPROVALS_URL)) == [steps[2].pk]
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "approved"})) == [
        steps[1].pk,
        steps[0].pk,
    ]
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "all"})) == [
        s.pk for s in reversed(steps)
    ]


def test_history_shows_only_the_callers_scope(
    api_client, step, manager, other_manager, finance_user
):
    api_client.force_authenticate(manager)
    api_client.post(decline_url(step.pk), {"reason": "Not this time"}, format="json")

    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "declined"})) == [step.pk]
    api_client.force_authenticate(other_manager)
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "all"})) == []
    api_client.force_authenticate(finance_user)
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "all"})) == []


def test_an_escalated_step_shows_in_the_managers_history_and_the_finance_inbox(
    api_client, step, manager, finance_user
):
    assert escalate_overdue(now=timezone.now() + timedelta(hours=25)) == 1
    successor = ApprovalRequest.objects.get(status="pending")

    api_client.force_authenticate(manager)
    assert listed_ids(api_client.get(APPROVALS_URL)) == []
    assert listed_ids(api_client.get(APPROVALS_URL, {"status": "escalated"})) == [step.pk]
    assert api_client.post(approve_url(step.pk), {}, format="json").status_code == 409
    api_client.force_authenticate(finance_user)
    assert listed_ids(api_client.get(APPROVALS_URL)) == [successor.pk]
    assert "Escalated" in api_client.get(approval_url(successor.pk)).json()["note"]


def test_inbox_filters_by_kind_and_level(api_client, step, manager, finance_user, budget):
    topup = request_topup(budget=budget, amount="100.00", reason="Busy month", actor=manager)
    topup_step = ApprovalRequest.objects.get(budget_request=topup)
    api_client.force_authenticate(finance_user)

    assert listed_ids(api_client.get(APPROVALS_URL, {"kind": "budget_request"})) == [topup_step.pk]
    assert listed_ids(api_client.get(APPROVALS_URL, {"kind": "gesture"})) == []
    assert listed_ids(api_client.get(APPROVALS_URL, {"level": "2"})) == [topup_step.pk]


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "maybe"), ("kind", "holiday"), ("level", "3"), ("level", "one")],
)
def test_a_bad_inbox_filter_is_a_400_naming_it(api_client, manager, field, value):
    api_client.force_authenticate(manager)

    response = api_client.get(APPROVALS_URL, {field: value})

    assert response.status_code == 400
    assert field in response.json()


def test_the_requester_may_read_their_request_but_another_team_may_not(
    api_client, step, agent, other_manager
):
    api_client.force_authenticate(agent)
    assert api_client.get(approval_url(step.pk)).json()["id"] == step.pk

    api_client.force_authenticate(other_manager)
    assert api_client.get(approval_url(step.pk)).status_code == 404


def test_approvals_need_credentials(api_client, step):
    assert api_client.get(APPROVALS_URL).status_code == 401
    assert api_client.get(approval_url(step.pk)).status_code == 401
    assert api_client.post(approve_url(step.pk), {}, format="json").status_code == 401
    assert api_client.post(decline_url(step.pk), {"reason": "x"}, format="json").status_code == 401
    step.refresh_from_db()
    assert step.status == "pending"


def test_a_token_decides_like_a_session(api_client, manager, step):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")

    assert api_client.post(approve_url(step.pk), {}, format="json").status_code == 200


# Query counts.


def make_waiting(count: int, *, agent, team, programme, category) -> None:
    """Pending gestures and their steps straight into the tables: the inbox is under test."""
    today = timezone.localdate()
    due = timezone.now() + timedelta(hours=24)
    gestures = Gesture.objects.bulk_create(
        Gesture(
            programme=programme,
            agent=agent,
            team=team,
            category=category,
            customer_ref=f"BULK-{n}",
            customer_key=f"bulk-{n}",
            channel="chat",
            situation="A delayed parcel.",
            action="Sent flowers.",
            cost=Decimal("60.00"),
            currency="GBP",
            occurred_on=today,
            status=GestureStatus.PENDING,
        )
        for n in range(count)
    )
    ApprovalRequest.objects.bulk_create(
        ApprovalRequest(
            kind="gesture",
            gesture=gesture,
            level=1,
            team=team,
            assignee=None,
            amount=gesture.cost,
            requested_by=agent,
            due_at=due,
        )
        for gesture in gestures
    )


@pytest.mark.parametrize("status", ["pending", "all"])
def test_inbox_query_count_does_not_grow_with_requests(
    api_client, manager, agent, team, programme, category, status
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")

    def queries_for_a_full_page() -> CapturedQueries:
        with capture_queries() as queries:
            response = api_client.get(APPROVALS_URL, {"page_size": 100, "status": status})
        assert response.status_code == 200
        return queries

    make_waiting(5, agent=agent, team=team, programme=programme, category=category)
    few = queries_for_a_full_page()
    make_waiting(45, agent=agent, team=team, programme=programme, category=category)
    many = queries_for_a_full_page()

    # The token and its user, the caller's memberships and roles, the count, the page.
    assert_same_query_count(few, many, expected=5)


def test_gesture_list_shows_the_steps_without_a_query_per_gesture(
    api_client, manager, agent, team, programme, category
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")

    def queries_for_a_full_page() -> CapturedQueries:
        with capture_queries() as queries:
            response = api_client.get(reverse("api:gestures"), {"page_size": 100})
        assert response.status_code == 200
        assert all(len(row["approvals"]) == 1 for row in response.json()["results"])
        return queries

    make_waiting(5, agent=agent, team=team, programme=programme, category=category)
    few = queries_for_a_full_page()
    make_waiting(45, agent=agent, team=team, programme=programme, category=category)
    many = queries_for_a_full_page()

    assert_same_query_count(few, many, expected=6)
