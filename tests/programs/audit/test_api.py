import itertools
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import TeamRole
from programs.audit import trail
from programs.audit.checkpoints import checkpoint_audit
from programs.audit.models import GENESIS_HASH, AuditEntry
from programs.audit.trail import AuditAction
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import delegate_approvals
from programs.empowerment.services.gestures import log_gesture
from tests.factories import TeamFactory, UserFactory, gesture_input, place
from tests.support.queries import CapturedQueries, assert_same_query_count, capture_queries
from tests.support.tampering import tamper

AUDIT_URL = reverse("api:audit")
VERIFY_URL = reverse("api:audit-verify")
HEX64 = re.compile(r"^[0-9a-f]{64}$")

ENTRY_FIELDS = {
    "seq",
    "at",
    "actor",
    "on_behalf_of",
    "action",
    "subject",
    "data",
    "prev_hash",
    "hash",
}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def approved(api_client, agent, manager, budget, category):
    """A £60 gesture logged through the API by the agent, then approved by the manager."""
    api_client.force_authenticate(agent)
    logged = api_client.post(
        reverse("api:gestures"),
        {
            "customer_ref": "TCK-60",
            "channel": "phone",
            "category": "gift",
            "situation": "The anniversary dinner was cancelled by our mistake.",
            "action": "Booked them a table elsewhere and sent flowers.",
            "cost": "60.00",
            "occurred_on": timezone.localdate().isoformat(),
        },
        format="json",
    ).json()
    step = ApprovalRequest.objects.get(gesture_id=logged["id"])
    api_client.force_authenticate(manager)
    response = api_client.post(
        reverse("api:approval-approve", args=[step.pk]), {"comment": "Good call"}, format="json"
    )
    assert response.status_code == 200
    api_client.force_authenticate(None)
    return step


def test_finance_sees_a_gestures_logging_and_approval_with_their_hashes(
    api_client, finance_user, approved, agent, manager
):
    api_client.force_authenticate(finance_user)

    entries = results(api_client.get(AUDIT_URL, {"subject": f"gesture:{approved.gesture_id}"}))

    assert [(e["action"], e["subject"], e["actor"]) for e in entries] == [
        ("gesture.logged", f"gesture:{approved.gesture_id}", agent.pk),
        ("approval.approved", f"approvalrequest:{approved.pk}", manager.pk),
    ]
    for entry in entries:
        assert set(entry) == ENTRY_FIELDS
        assert HEX64.match(entry["hash"]) and HEX64.match(entry["prev_hash"])
        stored = AuditEntry.objects.get(seq=entry["seq"])
        assert entry["hash"] == stored.hash == stored.compute_hash()
        assert entry["prev_hash"] == stored.prev_hash
        assert entry["on_behalf_of"] is None
    logged, decision = entries
    assert logged["seq"] < decision["seq"]
    assert decision["data"]["comment"] == "Good call"
    assert decision["data"]["subject"] == f"gesture:{approved.gesture_id}"
    assert decision["data"]["budget"]["after"]["spent"] == "60.00"


def test_the_whole_trail_is_in_sequence_and_chained(api_client, admin_user, approved):
    api_client.force_authenticate(admin_user)

    response = api_client.get(AUDIT_URL, {"page_size": 100})

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    entries = body["results"]
    assert body["count"] == AuditEntry.objects.count() == len(entries)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0]["prev_hash"] == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after["prev_hash"] == before["hash"]


@pytest.mark.usefixtures("category")
def test_an_entry_by_a_delegate_names_both(api_client, finance_user, agent, manager, budget):
    deputy = place(UserFactory(), TeamFactory(name="Care East"), TeamRole.MANAGER)
    today = timezone.localdate()
    delegate_approvals(delegator=manager, delegate=deputy, starts_on=today, ends_on=today)
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture), actor=deputy, approve=True
    )
    api_client.force_authenticate(finance_user)

    entries = results(api_client.get(AUDIT_URL, {"action": "approval.approved"}))

    assert [(e["actor"], e["on_behalf_of"]) for e in entries] == [(deputy.pk, manager.pk)]
    delegation = results(api_client.get(AUDIT_URL, {"action": "delegation.created"}))
    assert [(e["data"]["delegator"], e["data"]["delegate"]) for e in delegation] == [
        (manager.pk, deputy.pk)
    ]


def test_the_trail_filters_by_action_and_actor(api_client, finance_user, approved, manager):
    api_client.force_authenticate(finance_user)

    by_action = results(api_client.get(AUDIT_URL, {"action": "approval.approved"}))
    by_actor = results(api_client.get(AUDIT_URL, {"actor": manager.pk}))
    both = results(api_client.get(AUDIT_URL, {"actor": manager.pk, "action": "gesture.logged"}))

    assert [e["subject"] for e in by_action] == [f"approvalrequest:{approved.pk}"]
    assert {e["actor"] for e in by_actor} == {manager.pk}
    assert "approval.approved" in {e["action"] for e in by_actor}
    assert both == []


def test_a_top_up_is_found_by_its_kind_as_the_approvals_name_it(
    api_client, finance_user, manager, budget
):
    topup = request_topup(budget=budget, amount="100.00", reason="Busy month", actor=manager)
    decide_approval(
        request=ApprovalRequest.objects.get(budget_request=topup), actor=finance_user, approve=True
    )
    api_client.force_authenticate(finance_user)

    entries = results(api_client.get(AUDIT_URL, {"subject": f"budget_request:{topup.pk}"}))

    assert [e["action"] for e in entries] == ["budget.topup_requested", "approval.approved"]
    same = results(api_client.get(AUDIT_URL, {"subject": f"budgetrequest:{topup.pk}"}))
    assert same == entries


def test_an_unknown_subject_is_an_empty_list(api_client, finance_user, approved):
    api_client.force_authenticate(finance_user)

    assert results(api_client.get(AUDIT_URL, {"subject": "gesture:987654"})) == []
    assert results(api_client.get(AUDIT_URL, {"subject": "spaceship:1"})) == []
    too_long = api_client.get(AUDIT_URL, {"subject": "gesture:" + "9" * 40})
    assert too_long.status_code == 400 and "subject" in too_long.json()


@pytest.mark.parametrize(
    "subject",
    [
        "gesture",
        "gesture:",
        ":12",
        "gesture:abc",
        "gesture:12:3",
        "gesture:-1",
        "gesture:1.5",
        "ges ture:1",
        "x" * 41 + ":1",
        "gesture:" + "9" * 41,
        "gesture:1\x00",
    ],
)
def test_a_malformed_subject_is_a_400(api_client, finance_user, subject):
    api_client.force_authenticate(finance_user)

    response = api_client.get(AUDIT_URL, {"subject": subject})

    assert response.status_code == 400
    assert "subject" in response.json()


@pytest.mark.parametrize(
    ("field", "value"), [("actor", "abc"), ("actor", "0"), ("action", "x" * 81)]
)
def test_a_bad_filter_is_a_400_naming_it(api_client, finance_user, field, value):
    api_client.force_authenticate(finance_user)

    response = api_client.get(AUDIT_URL, {field: value})

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("who", ["agent", "manager", "other_manager", "organiser", "nobody"])
def test_only_finance_and_admins_read_the_trail(api_client, request, approved, who):
    api_client.force_authenticate(request.getfixturevalue(who))

    assert api_client.get(AUDIT_URL).status_code == 403
    assert api_client.get(VERIFY_URL).status_code == 403


def test_the_trail_needs_credentials(api_client, approved):
    assert api_client.get(AUDIT_URL).status_code == 401
    assert api_client.get(VERIFY_URL).status_code == 401


# Verification.


@pytest.mark.parametrize("who", ["finance_user", "admin_user"])
def test_a_clean_chain_verifies(api_client, request, approved, who):
    api_client.force_authenticate(request.getfixturevalue(who))

    response = api_client.get(VERIFY_URL)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "entries": AuditEntry.objects.count(),
        "first_broken_seq": None,
        "problem": None,
        "unkeyed": 0,
        "last_checkpoint": None,
    }


def test_an_edited_row_breaks_the_chain_at_that_entry(api_client, finance_user, approved):
    api_client.force_authenticate(finance_user)
    decision = AuditEntry.objects.get(action="approval.approved")
    assert api_client.get(VERIFY_URL).json()["ok"] is True

    tamper(
        "UPDATE programs_auditentry SET data = %s WHERE seq = %s",
        ['{"comment": "Approved by the CEO"}', decision.seq],
    )
    report = api_client.get(VERIFY_URL).json()

    assert report["ok"] is False
    assert report["first_broken_seq"] == decision.seq
    assert report["entries"] == decision.seq
    assert report["problem"]


def test_a_removed_row_breaks_the_chain_at_the_next_entry(api_client, finance_user, approved):
    api_client.force_authenticate(finance_user)
    logged = AuditEntry.objects.get(action="gesture.logged")

    tamper("DELETE FROM programs_auditentry WHERE seq = %s", [logged.seq])
    report = api_client.get(VERIFY_URL).json()

    assert (report["ok"], report["first_broken_seq"]) == (False, logged.seq + 1)


def test_entries_cut_from_the_end_after_a_checkpoint_are_reported(
    api_client, finance_user, approved
):
    api_client.force_authenticate(finance_user)
    checkpoint_audit()
    head = AuditEntry.objects.order_by("-seq").first()
    assert api_client.get(VERIFY_URL).json()["last_checkpoint"] == head.seq

    tamper("DELETE FROM programs_auditentry WHERE seq = %s", [head.seq])
    report = api_client.get(VERIFY_URL).json()

    assert report["ok"] is False
    assert report["first_broken_seq"] == head.seq
    assert report["problem"].startswith(f"entries after #{head.seq - 1} are missing")
    assert report["last_checkpoint"] == head.seq
    assert report["entries"] == head.seq - 1


def test_a_forged_checkpoint_is_reported_without_an_entry(api_client, finance_user, approved):
    api_client.force_authenticate(finance_user)
    checkpoint_audit()
    path = settings.AUDIT_CHECKPOINT_FILE
    line = json.loads(path.read_text())
    path.write_text(json.dumps({**line, "seq": line["seq"] + 10}) + "\n")

    report = api_client.get(VERIFY_URL).json()

    assert (report["ok"], report["first_broken_seq"], report["entries"]) == (False, None, 0)
    assert "signature does not verify" in report["problem"]
    assert report["last_checkpoint"] is None


# Query counts.


@pytest.mark.usefixtures("category")
def test_trail_query_count_does_not_grow_with_entries(api_client, finance_user, agent, budget):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    step = ApprovalRequest.objects.get(gesture=gesture)
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=finance_user).key}"
    )

    def record(count: int) -> None:
        for n in range(count):
            trail.record(
                action=AuditAction.BUDGET_CHANGED,
                actor=finance_user,
                subject=step if n % 2 else gesture,
                data={"n": n},
            )

    def queries_for_a_full_page(params: dict) -> CapturedQueries:
        with capture_queries() as queries:
            response = api_client.get(AUDIT_URL, {"page_size": 100, **params})
        assert response.status_code == 200
        assert response.json()["results"]
        return queries

    for params in [{}, {"subject": f"gesture:{gesture.pk}"}, {"action": "budget.changed"}]:
        record(5)
        few = queries_for_a_full_page(params)
        record(45)
        many = queries_for_a_full_page(params)
        # The token and its user, the caller's memberships and roles, whether they have a
        # second factor (finance must: programs/identity/mfa/gate.py), the count, the page.
        assert_same_query_count(few, many, expected=6)
