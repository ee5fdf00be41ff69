from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import TeamRole
from programs.audit.models import AuditEntry
from programs.empowerment.models import Budget, Gesture, GestureStatus
from tests.factories import allocated_budget, place
from tests.support.api import listed_ids
from tests.support.gesture_entry import body
from tests.support.queries import CapturedQueries, assert_same_query_count, capture_queries

GESTURES_URL = reverse("api:gestures")

GESTURE_FIELDS = {
    "id",
    "keep_private",
    "agent",
    "team",
    "programme",
    "customer_ref",
    "customer_name",
    "channel",
    "category",
    "situation",
    "action",
    "outcome",
    "outcome_rating",
    "cost",
    "committed",
    "currency",
    "occurred_on",
    "status",
    "flags",
    "policy_snapshot",
    "created_at",
    "approvals",
}


def detail_url(gesture_id: int) -> str:
    return reverse("api:gesture", args=[gesture_id])


def outcome_url(gesture_id: int) -> str:
    return reverse("api:gesture-outcome", args=[gesture_id])


def withdraw_url(gesture_id: int) -> str:
    return reverse("api:gesture-withdraw", args=[gesture_id])


# Logging


def test_agent_logs_gesture_within_limits_and_it_is_approved(
    api_client, agent, team, programme, category, budget
):
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, body(), format="json")

    assert response.status_code == 201, response.content
    gesture = response.json()
    assert set(gesture) == GESTURE_FIELDS
    assert gesture["id"] == Gesture.objects.get().pk
    assert gesture["status"] == "approved"
    assert (gesture["agent"], gesture["team"], gesture["programme"]) == (
        agent.pk,
        team.pk,
        programme.pk,
    )
    assert gesture["category"] == "gift"
    assert (gesture["cost"], gesture["committed"], gesture["currency"]) == ("10.00", "0.00", "GBP")
    assert gesture["flags"] == []
    assert gesture["approvals"] == []
    assert gesture["policy_snapshot"]["gesture_limit"] == "50.00"
    assert gesture["outcome"] == "" and gesture["outcome_rating"] == ""
    budget.refresh_from_db()
    assert budget.spent == Decimal("10.00")


def test_gesture_over_the_gesture_limit_waits_with_its_cost_committed(
    api_client, agent, category, budget
):
    api_client.force_authenticate(agent)

    gesture = api_client.post(GESTURES_URL, body(cost="60.00"), format="json").json()

    assert gesture["status"] == "pending"
    assert gesture["committed"] == "60.00"
    assert "over_gesture_limit" in gesture["policy_snapshot"]["reasons"]
    budget.refresh_from_db()
    assert budget.committed == Decimal("60.00")


def test_gesture_the_team_budget_cannot_hold_is_logged_pending_and_flagged_over_budget(
    api_client, agent, team, programme, category
):
    allocated_budget(team, programme, amount="5.00")
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, body(), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["flags"] == ["over_budget"]
    assert response.json()["committed"] == "0.00"


def test_same_customer_and_cost_within_a_week_is_flagged_not_blocked(
    api_client, agent, category, budget
):
    api_client.force_authenticate(agent)
    api_client.post(GESTURES_URL, body(), format="json")
    earlier = (timezone.localdate() - timedelta(days=3)).isoformat()

    response = api_client.post(
        GESTURES_URL, body(customer_ref="tck 1001", occurred_on=earlier), format="json"
    )

    assert response.status_code == 201
    assert response.json()["flags"] == ["possible_duplicate"]


def test_a_zero_cost_gesture_is_approved_even_without_a_budget(
    api_client, agent, programme, category
):
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, body(cost="0"), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "approved"
    assert response.json()["cost"] == "0.00"


def test_agent_in_several_teams_must_say_which_team(
    api_client, agent, other_team, programme, category, budget
):
    place(agent, other_team, TeamRole.AGENT)
    allocated_budget(other_team, programme)
    api_client.force_authenticate(agent)

    unsure = api_client.post(GESTURES_URL, body(), format="json")
    chosen = api_client.post(GESTURES_URL, body(team=other_team.pk), format="json")

    assert unsure.status_code == 400
    assert "team" in unsure.json()
    assert chosen.status_code == 201
    assert chosen.json()["team"] == other_team.pk
    assert Gesture.objects.count() == 1


def test_agent_cannot_log_for_a_team_they_do_not_work_in(
    api_client, agent, other_team, category, budget
):
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, body(team=other_team.pk), format="json")

    assert response.status_code == 400
    assert "team" in response.json()
    assert not Gesture.objects.exists()


def test_people_who_are_not_agents_cannot_log_gestures(
    api_client, manager, finance_user, nobody, category, budget
):
    for person in (manager, finance_user, nobody):
        api_client.force_authenticate(person)
        assert api_client.post(GESTURES_URL, body(), format="json").status_code == 403
    assert not Gesture.objects.exists()


def test_logging_without_an_active_programme_is_a_409(api_client, agent, programme, category):
    programme.is_active = False
    programme.save()
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, body(), format="json")

    assert response.status_code == 409
    assert not Gesture.objects.exists()


def test_gestures_need_credentials(api_client, db):
    assert api_client.get(GESTURES_URL).status_code == 401
    assert api_client.post(GESTURES_URL, body(), format="json").status_code == 401
    assert api_client.get(detail_url(1)).status_code == 401
    assert api_client.patch(outcome_url(1), {}, format="json").status_code == 401
    assert api_client.post(withdraw_url(1)).status_code == 401


TOMORROW = "tomorrow"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost", "-1.00"),
        ("cost", -1),
        ("cost", "abc"),
        ("cost", "1e30"),
        ("cost", 1e30),
        ("cost", "NaN"),
        ("cost", "Infinity"),
        ("cost", "-Infinity"),
        ("cost", "10.001"),
        ("cost", "10000000.00"),
        ("cost", ""),
        ("cost", None),
        ("cost", True),
        ("cost", [10]),
        ("situation", "x" * 5000),
        ("situation", ""),
        ("action", "x" * 2001),
        ("outcome", "x" * 2001),
        ("customer_ref", "x" * 65),
        ("customer_ref", "   "),
        ("customer_name", "x" * 151),
        ("occurred_on", TOMORROW),
        ("occurred_on", "2025-02-30"),
        ("occurred_on", "yesterday"),
        ("occurred_on", "0001-01-01"),
        ("occurred_on", "1999-12-31"),
        ("category", "unknown"),
        ("category", {"slug": "gift"}),
        ("channel", "fax"),
        ("team", 2**70),
        ("team", "abc"),
        ("programme", 999_999),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    api_client, agent, category, budget, field, value
):
    if value == TOMORROW:
        value = (timezone.localdate() + timedelta(days=1)).isoformat()
    api_client.force_authenticate(agent)
    audit_entries = AuditEntry.objects.count()

    response = api_client.post(GESTURES_URL, body(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Gesture.objects.count() == 0
    assert AuditEntry.objects.count() == audit_entries
    budget.refresh_from_db()
    assert (budget.committed, budget.spent) == (0, 0)


@pytest.mark.parametrize("field", ["customer_ref", "channel", "category", "situation", "cost"])
def test_missing_required_field_is_a_400_naming_it(api_client, agent, category, budget, field):
    data = body()
    del data[field]
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Gesture.objects.exists()


@pytest.mark.parametrize("raw", ['{"cost": NaN}', '{"cost": 1e999}', "{not json", "[]"])
def test_malformed_json_is_a_400_not_a_500(api_client, agent, category, budget, raw):
    api_client.force_authenticate(agent)

    response = api_client.post(GESTURES_URL, raw, content_type="application/json")

    assert response.status_code == 400
    assert not Gesture.objects.exists()


# Seeing gestures


def test_agent_sees_only_their_own_gestures(api_client, agent, colleague, log):
    mine = log(agent)
    log(colleague)
    api_client.force_authenticate(agent)

    assert set(listed_ids(api_client.get(GESTURES_URL))) == {mine.pk}


def test_agent_never_sees_another_agents_gesture(api_client, agent, colleague, log):
    theirs = log(colleague)
    api_client.force_authenticate(agent)

    assert api_client.get(detail_url(theirs.pk)).status_code == 404


def test_manager_sees_their_teams_gestures(api_client, manager, agent, colleague, log):
    first, second = log(agent), log(colleague)
    api_client.force_authenticate(manager)

    assert set(listed_ids(api_client.get(GESTURES_URL))) == {first.pk, second.pk}
    assert api_client.get(detail_url(first.pk)).json()["id"] == first.pk


def test_manager_never_sees_another_teams_gesture(api_client, manager, outsider, log):
    theirs = log(outsider)
    api_client.force_authenticate(manager)

    assert set(listed_ids(api_client.get(GESTURES_URL))) == set()
    assert api_client.get(detail_url(theirs.pk)).status_code == 404


def test_finance_and_admins_see_every_gesture(
    api_client, finance_user, admin_user, agent, outsider, log
):
    everyone = {log(agent).pk, log(outsider).pk}
    for person in (finance_user, admin_user):
        api_client.force_authenticate(person)
        assert set(listed_ids(api_client.get(GESTURES_URL))) == everyone
        assert all(api_client.get(detail_url(pk)).status_code == 200 for pk in everyone)


def test_person_without_a_team_sees_no_gestures(api_client, nobody, agent, log):
    gesture = log(agent)
    api_client.force_authenticate(nobody)

    assert set(listed_ids(api_client.get(GESTURES_URL))) == set()
    assert api_client.get(detail_url(gesture.pk)).status_code == 404


@pytest.mark.parametrize("gesture_id", [999_999, 2**70])
def test_unknown_gesture_is_404(api_client, finance_user, gesture_id):
    api_client.force_authenticate(finance_user)

    assert api_client.get(detail_url(gesture_id)).status_code == 404


def test_list_is_paginated_newest_first(api_client, agent, log):
    logged = [log(agent, cost=Decimal("0")) for _ in range(3)]
    api_client.force_authenticate(agent)

    body = api_client.get(GESTURES_URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert body["previous"] is None and body["next"]
    assert [row["id"] for row in body["results"]] == [logged[2].pk, logged[1].pk]


def test_gestures_filter_by_status_team_agent_and_dates(
    api_client, finance_user, agent, colleague, outsider, log
):
    today = timezone.localdate()
    approved = log(agent)
    pending = log(agent, cost=Decimal("60.00"))
    colleagues = log(colleague)
    outsiders = log(outsider)
    earlier = log(
        colleague, cost=Decimal("0"), occurred_on=today.replace(day=1) - timedelta(days=5)
    )
    api_client.force_authenticate(finance_user)

    def found(**filters) -> set[int]:
        return set(listed_ids(api_client.get(GESTURES_URL, filters)))

    assert found(status="pending") == {pending.pk}
    assert found(status="approved") == {approved.pk, colleagues.pk, outsiders.pk, earlier.pk}
    assert found(team=outsider.memberships.get().team_id) == {outsiders.pk}
    assert found(agent=agent.pk) == {approved.pk, pending.pk}
    assert found(since=today.isoformat()) == {approved.pk, pending.pk, colleagues.pk, outsiders.pk}
    assert found(until=earlier.occurred_on.isoformat()) == {earlier.pk}
    assert found(agent=colleague.pk, since=today.isoformat()) == {colleagues.pk}
    assert found(status="", team="") == found()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "lost"),
        ("team", "abc"),
        ("team", "-1"),
        ("team", str(2**70)),
        ("agent", "1.5"),
        ("since", "2025-13-01"),
        ("until", "not-a-date"),
    ],
)
def test_bad_filter_is_a_400_naming_it(api_client, finance_user, field, value):
    api_client.force_authenticate(finance_user)

    response = api_client.get(GESTURES_URL, {field: value})

    assert response.status_code == 400
    assert field in response.json()


def test_until_before_since_is_a_400(api_client, finance_user):
    api_client.force_authenticate(finance_user)

    response = api_client.get(GESTURES_URL, {"since": "2025-06-10", "until": "2025-06-01"})

    assert response.status_code == 400
    assert "until" in response.json()


def make_gestures(count: int, *, agent, team, programme, category) -> None:
    """Rows straight into the table: the list's query count, not logging, is under test."""
    today = timezone.localdate()
    Gesture.objects.bulk_create(
        Gesture(
            programme=programme,
            agent=agent,
            team=team,
            category=category,
            customer_ref=f"BULK-{n}",
            customer_key=f"bulk-{n}",
            channel="chat",
            situation="A delayed parcel.",
            action="Said sorry and meant it.",
            cost=Decimal("0.00"),
            currency="GBP",
            occurred_on=today,
            status=GestureStatus.APPROVED,
        )
        for n in range(count)
    )


def test_list_query_count_does_not_grow_with_gestures(
    api_client, manager, agent, colleague, team, programme, category
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")

    def queries_for_a_full_page() -> CapturedQueries:
        with capture_queries() as queries:
            response = api_client.get(GESTURES_URL, {"page_size": 100})
        assert response.status_code == 200
        return queries

    make_gestures(5, agent=agent, team=team, programme=programme, category=category)
    few = queries_for_a_full_page()
    make_gestures(195, agent=colleague, team=team, programme=programme, category=category)
    many = queries_for_a_full_page()

    # The token and its user, the caller's memberships and roles, the count, the page, and
    # one query for the page's approval steps.
    assert_same_query_count(few, many, expected=6)


# Outcome


def test_agent_records_how_the_gesture_turned_out(api_client, agent, log):
    gesture = log(agent)
    api_client.force_authenticate(agent)

    response = api_client.patch(
        outcome_url(gesture.pk),
        {"outcome": "She called back in tears, happy ones.", "outcome_rating": "delighted"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "She called back in tears, happy ones."
    assert response.json()["outcome_rating"] == "delighted"
    gesture.refresh_from_db()
    assert gesture.outcome_rating == "delighted"


def test_changing_only_the_rating_keeps_the_outcome(api_client, agent, log):
    gesture = log(agent, outcome="Thanked us twice.")
    api_client.force_authenticate(agent)

    response = api_client.patch(
        outcome_url(gesture.pk), {"outcome_rating": "satisfied"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "Thanked us twice."


def test_manager_who_sees_the_gesture_may_not_record_its_outcome(api_client, manager, agent, log):
    gesture = log(agent)
    api_client.force_authenticate(manager)

    response = api_client.patch(
        outcome_url(gesture.pk), {"outcome_rating": "unhappy"}, format="json"
    )

    assert response.status_code == 403
    gesture.refresh_from_db()
    assert gesture.outcome_rating == ""


def test_another_agent_gets_404_recording_an_outcome(api_client, agent, colleague, log):
    gesture = log(agent)
    api_client.force_authenticate(colleague)

    response = api_client.patch(
        outcome_url(gesture.pk), {"outcome_rating": "unhappy"}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"outcome_rating": "ecstatic"},
        {"outcome_rating": ""},
        {"outcome": "Fine."},
        {"outcome": "x" * 2001, "outcome_rating": "neutral"},
    ],
)
def test_bad_outcome_is_a_400_and_changes_nothing(api_client, agent, log, data):
    gesture = log(agent)
    api_client.force_authenticate(agent)

    response = api_client.patch(outcome_url(gesture.pk), data, format="json")

    assert response.status_code == 400
    gesture.refresh_from_db()
    assert (gesture.outcome, gesture.outcome_rating) == ("", "")


# Withdrawing


def test_agent_withdraws_a_pending_gesture_once(api_client, agent, log):
    gesture = log(agent, cost=Decimal("60.00"))
    api_client.force_authenticate(agent)

    first = api_client.post(withdraw_url(gesture.pk))
    second = api_client.post(withdraw_url(gesture.pk))

    assert first.status_code == 200
    assert first.json()["status"] == "withdrawn"
    assert first.json()["committed"] == "0.00"
    assert second.status_code == 409
    assert Budget.objects.get(pk=gesture.budget_id).committed == 0


def test_an_approved_gesture_cannot_be_withdrawn(api_client, agent, log):
    gesture = log(agent)
    api_client.force_authenticate(agent)

    assert api_client.post(withdraw_url(gesture.pk)).status_code == 409


def test_only_the_gestures_agent_may_withdraw_it(api_client, manager, agent, colleague, log):
    gesture = log(agent, cost=Decimal("60.00"))

    api_client.force_authenticate(manager)
    assert api_client.post(withdraw_url(gesture.pk)).status_code == 403
    api_client.force_authenticate(colleague)
    assert api_client.post(withdraw_url(gesture.pk)).status_code == 404
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.PENDING


def test_a_manager_logging_as_an_agent_elsewhere_cannot_touch_team_gestures(
    api_client, manager, other_team, agent, log
):
    place(manager, other_team, TeamRole.AGENT)
    gesture = log(agent, cost=Decimal("60.00"))
    api_client.force_authenticate(manager)

    assert api_client.post(withdraw_url(gesture.pk)).status_code == 403
    assert api_client.get(detail_url(gesture.pk)).status_code == 200


def test_gesture_text_comes_back_as_entered_not_as_markup(api_client, agent, category, budget):
    api_client.force_authenticate(agent)
    situation = "<script>alert('hi')</script> & more"

    gesture = api_client.post(GESTURES_URL, body(situation=situation), format="json").json()

    assert api_client.get(detail_url(gesture["id"])).json()["situation"] == situation


def test_every_bad_field_is_reported_at_once(api_client, agent, programme, category, budget):
    api_client.force_authenticate(agent)
    response = api_client.post(
        "/api/v1/gestures/",
        {
            "customer_ref": "TCK-1",
            "channel": "chat",
            "category": "gift",
            "situation": "s",
            "action": "a",
            "cost": "NaN",
            "occurred_on": "2999-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"cost", "occurred_on"}
