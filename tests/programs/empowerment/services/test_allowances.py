from decimal import Decimal

import pytest
from django.utils import timezone

from portal.errors import InvalidInput, NotPermitted
from programs.audit.models import AuditEntry
from programs.empowerment.models import AllowanceOverride
from programs.empowerment.selectors.allowances import allowance_summary
from programs.empowerment.services.allowances import set_allowance


@pytest.fixture
def boost(programme, agent):
    def _boost(*, actor, amount="300.00", reason="Covering the Christmas rush", who=None):
        return set_allowance(
            programme=programme,
            agent=who or agent,
            day=timezone.localdate(),
            amount=amount,
            reason=reason,
            actor=actor,
        )

    return _boost


def _allowance(programme, agent) -> Decimal:
    return allowance_summary(
        programme=programme, agent_id=agent.pk, day=timezone.localdate()
    ).allowance


def test_the_agents_manager_boosts_their_allowance_with_a_reason(boost, programme, agent, manager):
    boost(actor=manager)
    assert _allowance(programme, agent) == Decimal("300.00")
    entry = AuditEntry.objects.get(action="allowance.set")
    assert entry.data["before"] == "200.00" and entry.data["after"] == "300.00"
    assert entry.data["reason"] == "Covering the Christmas rush"


def test_every_change_and_its_reason_is_kept(boost, programme, agent, manager):
    boost(actor=manager, amount="300.00", reason="Christmas rush")
    boost(actor=manager, amount="120.00", reason="Back to normal after training")
    assert _allowance(programme, agent) == Decimal("120.00")
    assert list(AllowanceOverride.objects.values_list("reason", flat=True)) == [
        "Back to normal after training",
        "Christmas rush",
    ]


@pytest.mark.parametrize("amount", ["500.01", "-1", "abc"])
def test_outside_the_programme_bounds_is_refused(boost, manager, amount):
    with pytest.raises(InvalidInput) as error:
        boost(actor=manager, amount=amount)
    assert "amount" in error.value.field_errors
    assert AllowanceOverride.objects.count() == 0


def test_a_reason_is_required(boost, manager):
    with pytest.raises(InvalidInput):
        boost(actor=manager, reason="   ")


@pytest.mark.parametrize("who", ["other_manager", "finance_user", "agent"])
def test_only_the_agents_own_manager_changes_it(request, boost, who):
    with pytest.raises(NotPermitted):
        boost(actor=request.getfixturevalue(who))
