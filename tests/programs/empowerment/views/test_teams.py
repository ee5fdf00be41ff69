import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import TeamRole
from programs.empowerment.models import AllowanceOverride, ApprovalRequest, BudgetRequest
from programs.empowerment.services.approvals import decide_approval
from tests.factories import TeamFactory, UserFactory, allocated_budget, allowance_override, place
from tests.support.queries import assert_same_query_count, page_queries

TEAMS = reverse("empowerment:team-list")


def team_page(team) -> str:
    return reverse("empowerment:team-detail", args=[team.pk])


def allowance_url(team) -> str:
    return reverse("empowerment:team-allowance", args=[team.pk])


def topup_url(team) -> str:
    return reverse("empowerment:team-topup", args=[team.pk])


def test_the_manager_sees_budget_gestures_and_allowances(client, manager, agent, team, logged):
    logged(agent, cost="10.00", customer_ref="TCK-10")
    logged(agent, cost="60.00", customer_ref="TCK-60")
    client.force_login(manager)

    html = client.get(team_page(team)).content.decode()

    for figure in ("£1,000.00", "£60.00", "£10.00", "£930.00"):
        assert figure in html  # budget, committed, spent, available
    assert '<rect class="bar__spent" width="1"' in html
    assert '<rect class="bar__committed" x="1" width="6"' in html
    assert "TCK-10" in html and "TCK-60" in html
    assert agent.name in html
    assert "£130.00" in html  # the agent's allowance left
    assert "Change an agent’s allowance" in html
    assert "Ask finance for a top-up" in html


def test_the_team_gestures_filter_by_status(client, manager, agent, team, logged):
    logged(agent, cost="10.00", customer_ref="TCK-10")
    logged(agent, cost="60.00", customer_ref="TCK-60")
    client.force_login(manager)

    html = client.get(team_page(team), {"status": "pending"}).content.decode()

    assert "TCK-60" in html and "TCK-10" not in html


def test_another_teams_manager_and_agents_get_404(client, team, other_manager, agent, budget):
    for person in (other_manager, agent):
        client.force_login(person)
        assert client.get(team_page(team)).status_code == 404
        assert client.post(allowance_url(team), {}).status_code == 404
        assert client.post(topup_url(team), {}).status_code == 404


def test_finance_reads_any_team_page_without_the_managers_forms(client, finance_user, team, budget):
    client.force_login(finance_user)

    html = client.get(team_page(team)).content.decode()

    assert "£1,000.00" in html
    assert "Change an agent’s allowance" not in html
    assert "Ask finance for a top-up" not in html


def test_the_team_list_shows_managers_their_teams_and_finance_every_team(
    client, manager, other_manager, finance_user, team, other_team, budget
):
    client.force_login(manager)
    html = client.get(TEAMS).content.decode()
    assert team.name in html and other_team.name not in html
    assert "£1,000.00" in html

    client.force_login(finance_user)
    html = client.get(TEAMS).content.decode()
    assert team.name in html and other_team.name in html
    assert "No budget allocated for this period yet." in html


def test_the_team_list_is_not_for_agents(client, agent):
    client.force_login(agent)

    assert client.get(TEAMS).status_code == 403


def test_the_manager_boosts_an_agents_allowance(client, manager, agent, team, budget):
    client.force_login(manager)

    response = client.post(
        allowance_url(team),
        {"agent": agent.pk, "amount": "300", "reason": "Covering the flood claims this month."},
        follow=True,
    )

    override = AllowanceOverride.objects.get()
    assert (override.agent, override.amount) == (agent, Decimal("300.00"))
    assert override.reason == "Covering the flood claims this month."
    html = response.content.decode()
    assert f"{agent.name}’s allowance for" in html and "is now £300.00." in html
    assert "£300.00" in html.split('id="agents"')[1]


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("900", "Choose an allowance between £0.00 and £500.00."),
        ("-1", "The amount cannot be negative."),
        ("lots", "Enter an amount such as 12.50."),
    ],
)
def test_an_allowance_out_of_bounds_is_refused_beside_the_amount(
    client, manager, agent, team, budget, amount, error
):
    client.force_login(manager)

    response = client.post(
        allowance_url(team), {"agent": agent.pk, "amount": amount, "reason": "Busy month."}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html.split('id="id_allowance_amount_error"')[1].split("</ul>")[0]
    assert f'value="{amount}"' in html
    assert "Busy month.</textarea>" in html
    assert AllowanceOverride.objects.count() == 0


def test_a_manager_cannot_set_the_allowance_of_another_teams_agent(
    client, manager, agent, team, other_team, budget
):
    stranger = place(UserFactory(), other_team, TeamRole.AGENT)
    client.force_login(manager)

    response = client.post(
        allowance_url(team), {"agent": stranger.pk, "amount": "100", "reason": "x"}
    )

    html = response.content.decode()
    assert "Choose an agent of this team." in html.split('id="id_allowance_agent_error"')[1]
    assert AllowanceOverride.objects.count() == 0
    # The page shown again still links its lists to the team page, not to the form's address.
    assert f'href="{team_page(team)}?status=pending"' in html


class _LabelsByForm(HTMLParser):
    """For each form on the page: its labels' ``for`` and its fields' ids, by the form's action."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, set[str]]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._action = a.get("action")
            self.forms[self._action] = {"labels": set(), "fields": set()}
        elif self._action and tag == "label" and a.get("for"):
            self.forms[self._action]["labels"].add(a["for"])
        elif self._action and tag in {"input", "select", "textarea"} and a.get("id"):
            self.forms[self._action]["fields"].add(a["id"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def test_each_form_on_the_team_page_labels_its_own_fields(client, manager, agent, team, budget):
    client.force_login(manager)

    parser = _LabelsByForm()
    parser.feed(client.get(team_page(team)).content.decode())

    for action in (allowance_url(team), topup_url(team)):
        form = parser.forms[action]
        assert form["labels"] and form["labels"] <= form["fields"], action
    assert not parser.forms[allowance_url(team)]["fields"] & parser.forms[topup_url(team)]["fields"]


def test_the_manager_asks_finance_for_a_top_up(client, manager, team, budget):
    client.force_login(manager)

    response = client.post(
        topup_url(team), {"amount": "250.00", "reason": "Storm week: many delays."}, follow=True
    )

    request = BudgetRequest.objects.get()
    assert (request.budget, request.amount) == (budget, Decimal("250.00"))
    html = response.content.decode()
    assert "Top-up of £250.00 requested." in html
    assert "Top-ups waiting for finance" in html and "Storm week: many delays." in html


def test_a_zero_top_up_is_refused_beside_the_amount(client, manager, team, budget):
    client.force_login(manager)

    response = client.post(topup_url(team), {"amount": "0", "reason": "Why not"})

    html = response.content.decode()
    assert "The amount must be more than zero." in html.split('id="id_topup_amount_error"')[1]
    assert BudgetRequest.objects.count() == 0


def test_a_top_up_needs_a_budget_to_add_to(client, manager, team, programme):
    client.force_login(manager)

    response = client.post(topup_url(team), {"amount": "10", "reason": "x"}, follow=True)

    assert "Finance has not allocated a budget for this period yet." in response.content.decode()
    assert BudgetRequest.objects.count() == 0


def test_the_team_page_query_count_does_not_grow_with_gestures(
    client, manager, agent, team, logged, copies
):
    colleague = place(UserFactory(), team, TeamRole.AGENT)
    mine = logged(agent, cost="0.00")
    theirs = logged(colleague, cost="0.00", customer_ref="TCK-2")
    copies(mine, 2)
    copies(theirs, 1)
    client.force_login(manager)
    page_queries(client, team_page(team))

    few = page_queries(client, team_page(team))
    copies(mine, 100)
    copies(theirs, 95, status="pending", over_budget=True)
    many = page_queries(client, team_page(team))

    assert_same_query_count(few, many)


def test_the_team_list_query_count_does_not_grow_with_teams(client, finance_user, programme):
    for n in range(3):
        allocated_budget(TeamFactory(name=f"Small {n}"), programme)
    client.force_login(finance_user)
    page_queries(client, TEAMS)

    few = page_queries(client, TEAMS)
    for n in range(30):
        allocated_budget(TeamFactory(name=f"More {n}"), programme)
    many = page_queries(client, TEAMS)

    assert_same_query_count(few, many)


def test_the_team_page_query_count_does_not_grow_with_agents(client, manager, agent, team, logged):
    logged(agent, cost="5.00")
    client.force_login(manager)
    page_queries(client, team_page(team))

    few = page_queries(client, team_page(team))
    for n in range(20):
        colleague = place(UserFactory(), team, TeamRole.AGENT)
        logged(colleague, cost="1.00", customer_ref=f"TCK-A{n}")
    many = page_queries(client, team_page(team))

    assert_same_query_count(few, many)


def _agent_panel_figures(html: str) -> dict[str, str]:
    """The agent's allowance panel: ``<dt>Spent</dt><dd>£135.45</dd>`` and so on."""
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))


def _team_row_figures(html: str, agent) -> dict[str, str]:
    """The agent's row in the team page's allowance table, keyed by column."""
    row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(agent.name)}</th>(.*?)</tr>", html, re.S)
    assert row, f"no row for {agent.name}"
    return dict(re.findall(r'data-label="([^"]+)" class="num">([^<]+)</td>', row.group(1)))


@pytest.fixture
def allowance_of_250(manager, agent, programme):
    allowance_override(
        agent, programme, amount="250.00", reason="Covers the winter rush", actor=manager
    )


def test_the_agent_and_the_manager_see_the_same_allowance_figures_to_the_penny(
    client, manager, agent, team, logged, allowance_of_250
):
    for n, cost in enumerate(("45.45", "40.00", "50.00")):  # each approved at once: £135.45
        logged(agent, cost=cost, customer_ref=f"TCK-{n}")
    logged(agent, cost="100.00", customer_ref="TCK-9")  # over the £50 gesture limit: waiting

    client.force_login(agent)
    mine = _agent_panel_figures(client.get(reverse("empowerment:my-gestures")).content.decode())
    client.force_login(manager)
    html = client.get(team_page(team)).content.decode()
    theirs = _team_row_figures(html, agent)

    expected = {"Allowance": "£250.00", "Spent": "£135.45", "Waiting": "£100.00", "Left": "£14.55"}
    assert {label: mine[label] for label in expected} == expected
    assert {label: theirs[label] for label in expected} == expected
    assert "£235.00" not in html  # the pence are never dropped


def test_a_manager_approval_above_the_allowance_shows_apart_for_agent_and_manager(
    client, manager, agent, team, logged
):
    gesture = logged(agent, cost="240.00")  # over the £200 allowance and the £50 limit
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture, status="pending"),
        actor=manager,
        approve=True,
        comment="Worth it",
    )

    client.force_login(agent)
    html = client.get(reverse("empowerment:my-gestures")).content.decode()
    mine = _agent_panel_figures(html)
    client.force_login(manager)
    theirs = _team_row_figures(client.get(team_page(team)).content.decode(), agent)

    assert mine["Spent"] == theirs["Spent"] == "£240.00"
    assert mine["Left"] == theirs["Left"] == "£0.00"
    assert mine["Approved above your allowance"] == "£40.00"
    assert theirs["Approved above allowance"] == "£40.00"
    assert "Your manager approved £40.00 more than your allowance" in html


def test_within_the_allowance_the_agent_sees_no_approved_above_figure(
    client, manager, agent, team, logged
):
    logged(agent, cost="20.00")
    client.force_login(agent)

    html = client.get(reverse("empowerment:my-gestures")).content.decode()

    assert "Approved above your allowance" not in html
    client.force_login(manager)
    theirs = _team_row_figures(client.get(team_page(team)).content.decode(), agent)
    assert theirs["Approved above allowance"] == "£0.00"
