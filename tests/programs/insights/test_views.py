"""The insights page by role, and CSV downloads of exactly what the tables show."""

import csv
import io

from django.urls import reverse

from tests.factories import appreciation_day, created_invitation, registered

DASHBOARD = "/insights/"


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_an_agent_reads_the_outcomes_chart_and_table_but_no_team_list(
    client, colleague_reader, outcomes_data
):
    client.force_login(colleague_reader)
    page = client.get(DASHBOARD).content.decode()
    assert "Which gestures delight customers" in page
    assert '<svg class="chart__svg chart__svg--wide"' in page
    assert 'aria-describedby="outcomes-table"' in page
    assert "Unused empowerment" not in page
    assert client.get(reverse("insights:download", args=["unused-empowerment"])).status_code == 403


def test_the_outcomes_csv_holds_exactly_the_tables_rows(client, manager, outcomes_data):
    client.force_login(manager)
    rows = _csv(client.get(reverse("insights:download", args=["outcomes-by-category"])))
    assert rows == [
        ["category", "gestures", "cost", "delighted", "satisfied", "neutral", "unhappy", "unrated"],
        ["Flowers", "1", "20.00", "0", "1", "0", "0", "0"],
        ["Gift", "4", "22.50", "2", "0", "0", "1", "1"],
    ]


def test_a_manager_sees_who_has_not_used_their_empowerment(
    client, manager, agent, team, programme, budget
):
    client.force_login(manager)
    page = client.get(DASHBOARD).content.decode()
    assert "Unused empowerment" in page and "Aisha Agent" in page and "Never" in page
    rows = _csv(client.get(reverse("insights:download", args=["unused-empowerment"])))
    assert rows[0] == ["agent", "team", "last_gesture_on", "allowance", "spent", "remaining"]
    assert rows[1] == ["Aisha Agent", team.name, "", "200.00", "0.00", "200.00"]


def test_bad_filters_are_named_beside_the_field_and_filter_nothing(client, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD, {"since": "2026-13-45", "days": "0"})
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()


def test_an_agent_sees_their_months_allowance_and_thanks(client, agent, budget, category):
    client.force_login(agent)
    page = client.get(DASHBOARD).content.decode()
    assert "Your gestures, month by month" in page and "Your allowance" in page
    rows = _csv(client.get(reverse("insights:download", args=["my-gestures-by-month"])))
    assert rows[0] == ["month", "gestures", "spent"] and len(rows) == 7


def test_every_team_table_downloads_as_shown(client, manager, agent, budget, category):
    client.force_login(manager)
    page = client.get(DASHBOARD).content.decode()
    for heading in ("Gestures week by week", "Budgets this period", "Approvals"):
        assert heading in page
    weeks = _csv(client.get(reverse("insights:download", args=["gestures-by-week"])))
    assert weeks[0] == ["week_starting", "total"] and len(weeks) == 9
    budgets = _csv(client.get(reverse("insights:download", args=["budgets-this-period"])))
    assert budgets[0] == ["team", "budget", "spent", "committed", "projected_at_period_end"]
    assert budgets[1][:2] == [budget.team.name, "1000.00"]


def test_downloads_keep_to_who_may_read_them(client, agent):
    client.force_login(agent)
    assert client.get(reverse("insights:download", args=["budgets-this-period"])).status_code == 403
    assert client.get(reverse("insights:download", args=["no-such-table"])).status_code == 404


def test_an_organiser_sees_their_days_and_seats_filling_up(client, organiser):
    day = appreciation_day(organiser, capacity=8, max_party_size=4, title="Spring thank-you")
    registered(created_invitation(day, organiser), party_size=3)
    client.force_login(organiser)
    page = client.get(DASHBOARD).content.decode()
    assert "Your appreciation days" in page
    assert "Spring thank-you: seats confirmed as registrations came in, of 8" in page
    assert "3 of 8" in page
    rows = _csv(client.get(reverse("insights:download", args=["appreciation-days"])))
    assert rows[1][0] == "Spring thank-you" and rows[1][3:7] == ["8", "3", "0", "0"]


def test_the_day_by_day_charts_download_as_shown(client, manager, organiser, budget):
    day = appreciation_day(organiser, capacity=8, max_party_size=4)
    registered(created_invitation(day, organiser), party_size=2)
    client.force_login(organiser)
    seats = _csv(client.get(reverse("insights:download", args=["seats-over-time"])))
    assert seats[0] == ["registered_on", "seats", "seats_so_far"] and seats[1][1:] == ["2", "2"]
    client.force_login(manager)
    spend = _csv(client.get(reverse("insights:download", args=["spend-through-period"])))
    assert spend[0] == ["day", "spent", "spent_so_far"] and len(spend) >= 2
