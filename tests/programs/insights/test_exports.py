"""A period's gestures, budgets and approval steps as CSV: the rows the person may see, cells
safe for spreadsheets, and streamed from a database cursor rather than held in memory."""

import csv
import io
import tracemalloc

import pytest
from django.db import connection
from django.urls import reverse

from programs.empowerment.models import ApprovalRequest, Gesture
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.gestures import log_gesture
from tests.factories import allocated_budget, gesture_input
from tests.support.queries import capture_queries


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _export(client, kind: str, **query):
    return client.get(reverse("insights:export", args=[kind]), query)


@pytest.fixture
def period(budget):
    return budget.period_start.strftime("%Y-%m")


def test_finance_exports_every_teams_gestures_with_formulas_made_safe(
    client, finance_user, agent, other_team, programme, budget, category, period
):
    allocated_budget(other_team, programme)
    log_gesture(agent=agent, **gesture_input(customer_ref="=HYPERLINK(1)", situation="+1 call me"))
    client.force_login(finance_user)
    response = _export(client, "gestures", period=period)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:4] == ["id", "occurred_on", "logged_at", "agent"]
    [row] = rows[1:]
    assert row[7] == "'=HYPERLINK(1)" and row[16] == "'+1 call me"


def test_a_manager_exports_only_their_teams(
    client, manager, agent, other_manager, other_team, programme, budget, category, period
):
    allocated_budget(other_team, programme)
    log_gesture(agent=agent, **gesture_input(customer_ref="MINE"))
    client.force_login(other_manager)
    assert _rows(_export(client, "gestures", period=period))[1:] == []
    assert [r[0] for r in _rows(_export(client, "budgets", period=period))[1:]] == [other_team.name]
    client.force_login(manager)
    assert [r[7] for r in _rows(_export(client, "gestures", period=period))[1:]] == ["MINE"]


def test_approval_steps_with_who_decided_and_why(
    client, finance_user, manager, agent, budget, category, period
):
    gesture = log_gesture(agent=agent, **gesture_input(cost="60.00")).gesture
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture),
        actor=manager,
        approve=False,
        comment="A call-back first.",
    )
    client.force_login(finance_user)
    [row] = _rows(_export(client, "approvals", period=period))[1:]
    assert row[2] == str(gesture.pk) and row[6] == "declined"
    assert row[12] == "Maya Manager" and row[15] == "A call-back first."


def test_budgets_with_topups_granted(client, finance_user, budget, period):
    client.force_login(finance_user)
    [row] = _rows(_export(client, "budgets", period=period))[1:]
    assert row[3:8] == ["1000.00", "0.00", "0.00", "1000.00", "0"]


def test_agents_cannot_export_and_unknown_kinds_are_404(client, agent, finance_user):
    client.force_login(agent)
    assert _export(client, "gestures").status_code == 403
    client.force_login(finance_user)
    assert _export(client, "secrets").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server-side cursor")
def test_a_large_export_is_read_in_chunks_and_streamed(
    client, finance_user, agent, budget, category, period
):
    template = log_gesture(agent=agent, **gesture_input(cost="0")).gesture
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Gesture._meta.concrete_fields
        if not f.primary_key
    }
    Gesture.objects.bulk_create(
        Gesture(**{**fields, "customer_ref": f"BULK-{n}"}) for n in range(6000)
    )
    client.force_login(finance_user)
    tracemalloc.start()
    with capture_queries() as captured:
        response = _export(client, "gestures", period=period)
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == 6002  # the header and every gesture, the logged one and 6,000 more
    assert any(sql.startswith("DECLARE") for sql in captured.sql), "not read through a cursor"
    # Far less than 6,000 gestures held at once (each several KB as model objects).
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
