"""Every figure checked against an answer worked out by hand on factory data, and the queries
counted at two sizes."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.http import Http404

from accounts.models import TeamRole
from accounts.permissions import access_for
from programs.empowerment.services.gestures import log_gesture
from programs.insights.selectors import outcomes_by_category, unused_empowerment
from tests.factories import UserFactory, gesture_input, place
from tests.support.queries import assert_same_query_count, capture_queries


def _table(rows):
    return {
        r.category: (r.gestures, r.cost, r.delighted, r.satisfied, r.neutral, r.unhappy, r.unrated)
        for r in rows
    }


def test_outcomes_for_the_whole_organisation(colleague_reader, outcomes_data):
    rows = outcomes_by_category(access_for(colleague_reader))
    assert _table(rows) == {
        "flowers": (1, D("20.00"), 0, 1, 0, 0, 0),
        "gift": (5, D("25.50"), 2, 0, 1, 1, 1),
    }
    gift = next(r for r in rows if r.category == "gift")
    assert gift.rated == 4 and gift.rated_share == 80 and gift.delighted_share == 50
    for row in rows:
        assert (
            row.delighted + row.satisfied + row.neutral + row.unhappy + row.unrated == row.gestures
        )


def test_a_manager_reads_their_own_teams_by_default_and_any_team_when_asked(
    manager, other_team, outcomes_data
):
    own = outcomes_by_category(access_for(manager))
    assert _table(own) == {
        "flowers": (1, D("20.00"), 0, 1, 0, 0, 0),
        "gift": (4, D("22.50"), 2, 0, 0, 1, 1),
    }
    other = outcomes_by_category(access_for(manager), team_id=other_team.pk)
    assert _table(other) == {"gift": (1, D("3.00"), 0, 0, 1, 0, 0)}
    with pytest.raises(Http404):
        outcomes_by_category(access_for(manager), team_id=424242)


def test_outcomes_within_dates(manager, outcomes_data, today):
    assert outcomes_by_category(access_for(manager), until=today.replace(year=today.year - 1)) == []
    assert len(outcomes_by_category(access_for(manager), since=today, until=today)) == 2


def test_unused_empowerment_lists_quiet_agents_with_their_allowance_left(
    manager, agent, team, programme, budget, category, long_ago, today
):
    quiet = place(UserFactory(name="Quentin Quiet"), team, TeamRole.AGENT)
    never = place(UserFactory(name="Nora Never"), team, TeamRole.AGENT)
    log_gesture(agent=agent, **gesture_input(cost="10.00"))
    log_gesture(agent=quiet, **gesture_input(cost="4.00", occurred_on=long_ago, customer_ref="Q1"))

    rows = unused_empowerment(access_for(manager), programme=programme, today=today)

    assert [(r.agent_name, r.last_gesture_on) for r in rows] == [
        ("Nora Never", None),
        ("Quentin Quiet", long_ago),
    ]
    never_row = rows[0]
    assert never_row.allowance == programme.agent_allowance
    assert never_row.spent == D("0.00") and never_row.remaining == programme.agent_allowance
    assert never.pk == never_row.agent_id
    # A month on, with a week's silence enough, the agent who logged today is quiet too.
    later = unused_empowerment(
        access_for(manager), programme=programme, today=today + timedelta(days=30), days=7
    )
    assert [r.agent_name for r in later] == ["Nora Never", "Quentin Quiet", "Aisha Agent"]


def test_a_manager_sees_only_their_teams_and_finance_every_team(
    manager, other_manager, finance_user, team, other_team, programme, today
):
    place(UserFactory(name="North Quiet"), team, TeamRole.AGENT)
    place(UserFactory(name="South Quiet"), other_team, TeamRole.AGENT)

    def names(user, **kwargs):
        rows = unused_empowerment(access_for(user), programme=programme, today=today, **kwargs)
        return {r.agent_name for r in rows}

    assert "South Quiet" not in names(manager) and "North Quiet" in names(manager)
    assert {"North Quiet", "South Quiet"} <= names(finance_user)
    with pytest.raises(Http404):
        names(other_manager, team_id=team.pk)


def test_the_dashboard_takes_the_same_queries_for_little_data_or_much(
    client, manager, agent, team, programme, budget, category, flowers
):
    client.force_login(manager)
    with capture_queries() as few:
        assert client.get("/insights/").status_code == 200
    for n in range(15):
        person = place(UserFactory(), team, TeamRole.AGENT)
        log_gesture(
            agent=person,
            **gesture_input(
                cost="1.00", category="flowers" if n % 2 else "gift", customer_ref=f"N{n}"
            ),
        )
        place(UserFactory(), team, TeamRole.AGENT)
    with capture_queries() as many:
        assert client.get("/insights/").status_code == 200
    assert_same_query_count(few, many)
