"""Changing a programme's policy: audited field by field, refused when invalid or not allowed."""

from decimal import Decimal

import pytest

from portal.errors import InvalidInput, NotPermitted
from programs.audit.models import AuditEntry
from programs.empowerment.models import Programme
from programs.empowerment.services.gestures import log_gesture
from programs.empowerment.services.programmes import create_programme, update_programme
from tests.factories import gesture_input


def entries(action: str, programme: Programme) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, subject_id=str(programme.pk)))


def test_a_policy_change_is_audited_with_only_the_changed_fields(admin_user, programme):
    update_programme(
        programme=programme,
        changes={
            "gesture_limit": Decimal("60.00"),
            "agent_allowance": programme.agent_allowance,
            "name": programme.name,
        },
        actor=admin_user,
    )

    programme.refresh_from_db()
    assert programme.gesture_limit == Decimal("60.00")
    [entry] = entries("programme.updated", programme)
    assert entry.actor == admin_user
    assert entry.data == {"before": {"gesture_limit": "50.00"}, "after": {"gesture_limit": "60.00"}}


def test_an_unchanged_programme_writes_no_entry(admin_user, programme):
    update_programme(
        programme=programme, changes={"gesture_limit": Decimal("50.00")}, actor=admin_user
    )

    assert entries("programme.updated", programme) == []


def test_an_invalid_policy_is_refused_field_by_field_and_nothing_changes(admin_user, programme):
    with pytest.raises(InvalidInput) as refused:
        update_programme(
            programme=programme,
            changes={"agent_allowance": Decimal("900.00"), "currency": "pounds"},
            actor=admin_user,
        )

    assert "currency" in refused.value.field_errors
    programme.refresh_from_db()
    assert programme.agent_allowance == Decimal("200.00")
    assert entries("programme.updated", programme) == []


def test_only_people_allowed_to_change_programmes_may(agent, programme):
    with pytest.raises(NotPermitted):
        update_programme(
            programme=programme, changes={"gesture_limit": Decimal("500.00")}, actor=agent
        )

    programme.refresh_from_db()
    assert programme.gesture_limit == Decimal("50.00")


def test_a_gesture_keeps_the_policy_that_decided_it(admin_user, agent, programme, category, budget):
    gesture = log_gesture(agent=agent, programme=programme, **gesture_input(cost="45.00")).gesture

    update_programme(
        programme=programme, changes={"gesture_limit": Decimal("40.00")}, actor=admin_user
    )

    gesture.refresh_from_db()
    assert gesture.policy_snapshot["gesture_limit"] == "50.00"


def test_creating_a_programme_is_audited(admin_user, db):
    created = create_programme(
        values={
            "name": "Kindness 2028",
            "currency": "EUR",
            "period": "quarterly",
            "gesture_limit": Decimal("30.00"),
            "agent_allowance": Decimal("100.00"),
            "allowance_ceiling": Decimal("300.00"),
            "second_tier_threshold": Decimal("200.00"),
            "customer_daily_limit": Decimal("80.00"),
            "is_active": False,
        },
        actor=admin_user,
    )

    [entry] = entries("programme.created", created)
    assert entry.actor == admin_user
    assert entry.data["gesture_limit"] == "30.00" and entry.data["currency"] == "EUR"
