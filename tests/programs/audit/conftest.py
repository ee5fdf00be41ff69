import pytest

from programs.audit import trail
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction


@pytest.fixture
def checkpoint_file(settings):
    return settings.AUDIT_CHECKPOINT_FILE


@pytest.fixture
def chain(manager, team):
    """Five entries or so: the manager's membership, then four budget changes."""
    for n in range(4):
        trail.record(action=AuditAction.BUDGET_CHANGED, actor=manager, subject=team, data={"n": n})
    return list(AuditEntry.objects.order_by("seq"))
