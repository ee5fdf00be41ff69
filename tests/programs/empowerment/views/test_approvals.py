from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleName, TeamRole, User
from programs.empowerment.models import ApprovalRequest, Budget, Gesture, GestureStatus
from programs.empowerment.services.approvals import decide_approval
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import delegate_approvals
from tests.factories import UserFactory, grant, place
from tests.support.queries import (
    CapturedQueries,
    assert_same_query_count,
    capture_queries,
    page_queries,
)

INBOX = reverse("empowerment:approvals")
DECIDED = INBOX + "?show=decided"
BULK = reverse("empowerment:approve-selected")
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver" + INBOX}


def approve_url(step) -> str:
    return reverse("empowerment:approval-approve", args=[step.pk])


def decline_url(step) -> str:
    return reverse("empowerment:approval-decline", args=[step.pk])


def step_of(gesture) -> ApprovalRequest:
    return ApprovalRequest.objects.filter(gesture=gesture).order_by("-id").first()


def card_of(html: str, step) -> str:
    """The card's own markup, so an assertion cannot be satisfied by another card."""
    return html.split(f'id="approval-{step.pk}"', 1)[1].split("</article>", 1)[0]


def second_manager(team) -> User:
    """Another manager of Care North, who could decide its requests too."""
    return place(UserFactory(name="Dana Deputy"), team, TeamRole.MANAGER)


def care_south_agent(other_team) -> User:
    return place(UserFactory(name="Sol South"), other_team, TeamRole.AGENT)


@pytest.fixture
def waiting(agent, manager, logged):
    """A £60 gesture waiting for Care North's manager."""
    return logged(agent, cost="60.00", customer_ref="TCK-60")


@pytest.fixture
def step(waiting):
    return step_of(waiting)


@pytest.fixture
def topup(manager, budget):
    """Care North's manager asks finance for £500 more."""
    return request_topup(
        budget=budget, amount="500.00", reason="Storm week: many <b>outages</b>.", actor=manager
    )


@pytest.fixture
def many_waiting(waiting, step, copies):
    """More steps like ``step``, each for its own copy of the waiting gesture (holding nothing
    in the budget, as the copies were never counted in it)."""

    def make(count: int) -> list[ApprovalRequest]:
        gestures = copies(waiting, count, committed_amount=Decimal("0.00"))
        base = {
            f.attname: getattr(step, f.attname)
            for f in ApprovalRequest._meta.concrete_fields
            if not f.primary_key
        }
        made = ApprovalRequest.objects.bulk_create(
            ApprovalRequest(**{**base, "gesture_id": gesture.pk}) for gesture in gestures
        )
        return sorted(made, key=lambda made_step: made_step.pk)

    return make


# Who may open the inbox and decide.


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 403),
        ("manager", 200),
        ("other_manager", 200),
        ("finance_user", 200),
        ("admin_user", 403),
        ("organiser", 403),
        ("nobody", 403),
    ],
)
def test_only_managers_and_finance_open_the_inbox(client, request, programme, person, status):
    client.force_login(request.getfixturevalue(person))

    assert client.get(INBOX).status_code == status
    assert client.get(DECIDED).status_code == status


def test_the_inbox_asks_a_visitor_to_log_in(client, programme):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 403),
        ("other_manager", 404),
        ("finance_user", 404),
        ("admin_user", 403),
        ("organiser", 403),
        ("nobody", 403),
    ],
)
def test_nobody_outside_the_teams_scope_sees_or_decides_its_request(
    client, request, step, person, status
):
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse("empowerment:approval-detail", args=[step.pk])).status_code == status
    assert client.post(approve_url(step)).status_code == status
    assert client.post(decline_url(step), {"reason": "No"}).status_code == status
    assert client.post(approve_url(step), headers=HTMX).status_code == status
    step.refresh_from_db()
    assert step.status == "pending"


def test_a_request_that_does_not_exist_is_404(client, manager, programme):
    client.force_login(manager)

    assert client.post(reverse("empowerment:approval-approve", args=[999999])).status_code == 404


def test_deciding_needs_a_post(client, manager, step):
    client.force_login(manager)

    assert client.get(approve_url(step)).status_code == 405
    assert client.get(decline_url(step)).status_code == 405
    assert client.get(BULK).status_code == 405


# What a card shows.


def test_the_manager_sees_the_story_the_cost_and_the_budget_left(client, manager, step):
    client.force_login(manager)

    card = card_of(client.get(INBOX).content.decode(), step)

    assert "Gift for TCK-60" in card
    assert "Aisha Agent · Care North" in card
    assert "£60.00" in card
    assert "arrived broken" in card and "Sent a replacement by courier" in card
    assert "over the £50.00 gesture limit" in card
    assert "<strong>£940.00</strong> left in Care North’s budget of £1,000.00" in card
    assert "this gesture’s £60.00 is already held in it" in card
    assert "due by" in card and "Overdue" not in card
    assert ">Approve</button>" in card and ">Decline</button>" in card


def test_other_managers_and_finance_do_not_see_a_teams_manager_step(
    client, other_manager, finance_user, step
):
    for person in (other_manager, finance_user):
        client.force_login(person)
        html = client.get(INBOX).content.decode()
        assert f'id="approval-{step.pk}"' not in html
        assert "Nothing is waiting for you" in html


def test_flags_notes_and_overdue_steps_stand_out(client, manager, agent, step, logged):
    logged(agent, cost="60.00", customer_ref="TCK-60")  # same customer, same cost: flagged
    duplicate = Gesture.objects.get(possible_duplicate=True)
    ApprovalRequest.objects.filter(pk=step.pk).update(
        due_at=timezone.now() - timedelta(hours=1), note="Reassigned from Dana to Maya Manager."
    )
    client.force_login(manager)

    html = client.get(INBOX).content.decode()

    first = card_of(html, step)
    assert "approval--overdue" in html.split(f'id="approval-{step.pk}"')[0].rsplit("<article", 1)[1]
    assert "Overdue" in first and "overdue since" in first
    assert "Reassigned from Dana to Maya Manager." in first
    assert "Possible duplicate" in card_of(html, step_of(duplicate))


def test_an_over_budget_gesture_says_it_cannot_be_approved_yet(
    client, manager, agent, budget, logged
):
    gesture = logged(agent, cost="1200.00", customer_ref="TCK-BIG")
    client.force_login(manager)

    card = card_of(client.get(INBOX).content.decode(), step_of(gesture))

    assert "Over budget" in card
    assert "Nothing is held for it" in card


def test_user_text_on_a_card_is_escaped(client, manager, agent, logged):
    gesture = logged(
        agent, cost="60.00", customer_ref="<b>REF</b>", situation="<script>alert(1)</script>"
    )
    client.force_login(manager)

    html = client.get(INBOX).content.decode()

    assert "<script>alert(1)</script>" not in html and "<b>REF</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card_of(html, step_of(gesture))


def test_finance_sees_a_top_up_with_the_manager_reason_and_current_budget(
    client, finance_user, topup
):
    step = ApprovalRequest.objects.get(budget_request=topup)
    client.force_login(finance_user)

    card = card_of(client.get(INBOX).content.decode(), step)

    assert "Budget top-up for Care North" in card
    assert "Asked by Maya Manager" in card
    assert "£500.00" in card
    assert "Storm week: many &lt;b&gt;outages&lt;/b&gt;." in card
    assert "<dt>Budget now</dt><dd>£1,000.00</dd>" in card


def test_the_inbox_is_oldest_first_and_paginated(client, manager, waiting, step, many_waiting):
    later = many_waiting(30)
    client.force_login(manager)

    first = client.get(INBOX).content.decode()
    second = client.get(INBOX, {"page": 2}).content.decode()

    assert first.index(f'id="approval-{step.pk}"') < first.index(f'id="approval-{later[0].pk}"')
    assert first.count('class="card approval') == 25
    assert 'Waiting <span class="tabs__count" id="approvals-waiting-count">31</span>' in first
    assert f'id="approval-{later[-1].pk}"' in second
    assert '<input type="hidden" name="next" value="/approvals/?page=2">' in second


def test_the_inbox_query_count_does_not_grow_with_its_requests(
    client, manager, team, budget, many_waiting
):
    # A manager who is also in finance sees gesture steps and a colleague's top-up together.
    grant(manager, RoleName.FINANCE)
    request_topup(budget=budget, amount="100", reason="More", actor=second_manager(team))
    many_waiting(4)
    client.force_login(manager)
    page_queries(client, INBOX)
    few = page_queries(client, INBOX)

    many_waiting(45)
    many = page_queries(client, INBOX)

    assert_same_query_count(few, many)


def test_the_decided_tab_query_count_does_not_grow(client, manager, many_waiting):
    steps = many_waiting(4)
    for made in steps:
        decide_approval(request=made, actor=manager, approve=True)
    client.force_login(manager)
    page_queries(client, DECIDED)
    few = page_queries(client, DECIDED)

    for made in many_waiting(40)[:30]:
        decide_approval(request=made, actor=manager, approve=False, comment="Not this time")
    many = page_queries(client, DECIDED)

    assert_same_query_count(few, many)


# Deciding, without JavaScript.


def test_the_manager_approves_and_returns_to_the_inbox(client, manager, waiting, step, budget):
    client.force_login(manager)

    response = client.post(approve_url(step), {"comment": "Lovely", "next": INBOX}, follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    html = response.content.decode()
    assert "Approved: Aisha Agent’s gift for TCK-60 (£60.00). It is now spent" in html
    assert f'id="approval-{step.pk}"' not in html
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decision_reason) == (GestureStatus.APPROVED, "Lovely")
    budget.refresh_from_db()
    assert (budget.committed, budget.spent) == (0, Decimal("60.00"))


def test_the_manager_declines_with_a_reason(client, manager, waiting, step, budget):
    client.force_login(manager)

    response = client.post(decline_url(step), {"reason": "Try a call-back first."}, follow=True)

    assert "Declined: Aisha Agent’s gift for TCK-60 (£60.00). They will see your reason." in (
        response.content.decode()
    )
    waiting.refresh_from_db()
    assert waiting.status == GestureStatus.DECLINED
    assert waiting.decision_reason == "Try a call-back first."
    budget.refresh_from_db()
    assert budget.committed == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decline_without_a_reason_is_refused_beside_the_field(
    client, manager, waiting, step, reason
):
    client.force_login(manager)

    response = client.post(decline_url(step), {"reason": reason})

    assert response.status_code == 200
    card = card_of(response.content.decode(), step)
    errors = card.split(f'id="id_decline_{step.pk}_reason_errors"')[1]
    assert "Give a reason: the person who asked will read it." in errors
    assert '<details class="decision__decline" open>' in card
    step.refresh_from_db()
    waiting.refresh_from_db()
    assert step.status == "pending" and waiting.status == GestureStatus.PENDING


def test_a_reason_too_long_is_refused_and_what_was_typed_is_kept(client, manager, step):
    client.force_login(manager)
    typed = "Because " + "x" * 2000

    response = client.post(decline_url(step), {"reason": typed}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="card approval" id="approval-{step.pk}"')
    assert "at most 2000 characters" in html
    assert typed in html
    step.refresh_from_db()
    assert step.status == "pending"


def test_a_foreign_next_address_is_ignored(client, manager, step):
    client.force_login(manager)

    response = client.post(approve_url(step), {"next": "https://evil.example/approvals/"})

    assert response.url == INBOX


def test_a_request_decided_meanwhile_shows_the_conflict_on_its_card(
    client, manager, team, step, waiting
):
    colleague = second_manager(team)
    decide_approval(request=step, actor=colleague, approve=True)
    client.force_login(manager)

    response = client.post(decline_url(step), {"reason": "Too much"})

    assert response.status_code == 409
    card = card_of(response.content.decode(), step)
    assert "This request has already been approved." in card
    assert "Approved" in card and "by Dana Deputy" in card
    assert ">Decline</button>" not in card
    waiting.refresh_from_db()
    assert waiting.status == GestureStatus.APPROVED


def test_an_approval_the_budget_cannot_cover_is_a_clear_message(
    client, manager, agent, logged, budget
):
    gesture = logged(agent, cost="1200.00", customer_ref="TCK-BIG")
    step = step_of(gesture)
    client.force_login(manager)

    response = client.post(approve_url(step), {"comment": "Please"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="card approval" id="approval-{step.pk}"')
    assert "cannot cover £1,200.00" in html
    assert 'role="alert"' in html
    assert ">Approve</button>" in html  # still waiting: it can be approved after a top-up
    assert "Please</textarea>" in html
    assert 'form="bulk-approve"' in html  # still tickable on the inbox
    step.refresh_from_db()
    assert step.status == "pending"


# Deciding with htmx.


def test_approving_with_htmx_swaps_the_card_for_a_confirmation(client, manager, step, waiting):
    client.force_login(manager)

    response = client.post(approve_url(step), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<article class="card approval approval--done" id="approval-{step.pk}"'
    )
    assert "<html" not in html
    assert "Approved</span> Aisha Agent’s gift for TCK-60 (£60.00)." in html
    # The navigation's count and the tab's count follow, out of band.
    assert 'id="nav-count-approvals" hidden hx-swap-oob="true">0' in html
    assert 'id="approvals-waiting-count" hx-swap-oob="true">0</span>' in html
    waiting.refresh_from_db()
    assert waiting.status == GestureStatus.APPROVED
    # Nothing waits to surface as a message on the next page.
    assert "Approved:" not in client.get(INBOX).content.decode()


def test_declining_with_htmx_swaps_the_card_for_a_confirmation(client, manager, step, waiting):
    client.force_login(manager)

    response = client.post(decline_url(step), {"reason": "Not this time"}, headers=HTMX)

    html = response.content.decode()
    assert "approval--done" in html and "Declined</span>" in html
    waiting.refresh_from_db()
    assert waiting.decision_reason == "Not this time"


def test_a_decline_without_a_reason_with_htmx_shows_the_error_in_the_card(client, manager, step):
    client.force_login(manager)

    response = client.post(decline_url(step), {"reason": ""}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="card approval" id="approval-{step.pk}"')
    assert "Give a reason" in html
    assert 'aria-invalid="true"' in html


def test_a_double_decision_with_htmx_shows_the_conflict_on_the_card(client, manager, step):
    decide_approval(request=step, actor=manager, approve=True)
    client.force_login(manager)

    response = client.post(approve_url(step), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This request has already been approved." in html
    assert ">Approve</button>" not in html


# Nobody decides their own request.


def test_a_manager_never_sees_or_decides_their_own_top_up(client, manager, topup):
    grant(manager, RoleName.FINANCE)  # a manager who is also in finance
    step = ApprovalRequest.objects.get(budget_request=topup)
    client.force_login(manager)

    assert f'id="approval-{step.pk}"' not in client.get(INBOX).content.decode()
    assert client.post(approve_url(step)).status_code == 403
    assert client.post(approve_url(step), headers=HTMX).status_code == 403
    assert client.post(decline_url(step), {"reason": ""}).status_code == 403
    client.post(BULK, {"steps": [step.pk]})
    step.refresh_from_db()
    assert step.status == "pending"


def test_a_plain_manager_cannot_decide_their_own_top_up_either(client, manager, topup):
    step = ApprovalRequest.objects.get(budget_request=topup)
    client.force_login(manager)

    assert client.post(approve_url(step)).status_code == 403
    step.refresh_from_db()
    assert step.status == "pending"


# Second tier, top-ups and delegates.


def test_above_the_threshold_the_manager_approves_and_finance_decides_next(
    client, manager, finance_user, agent, logged, programme
):
    programme.second_tier_threshold = Decimal("100.00")
    programme.save()
    gesture = logged(agent, cost="150.00", customer_ref="TCK-150")
    client.force_login(manager)

    response = client.post(approve_url(step_of(gesture)), follow=True)

    assert "finance approves it next" in response.content.decode()
    client.force_login(finance_user)
    card = card_of(client.get(INBOX).content.decode(), step_of(gesture))
    assert "Finance step" in card
    assert "above the £100.00 second-tier threshold, so finance approves too." in card
    client.post(approve_url(step_of(gesture)))
    gesture.refresh_from_db()
    assert gesture.status == GestureStatus.APPROVED


def test_finance_approves_a_top_up_and_the_budget_grows(client, finance_user, topup, budget):
    step = ApprovalRequest.objects.get(budget_request=topup)
    client.force_login(finance_user)

    response = client.post(approve_url(step), follow=True)

    assert "Approved: Care North’s top-up of £500.00. The team budget has grown" in (
        response.content.decode()
    )
    assert Budget.objects.get(pk=budget.pk).amount == Decimal("1500.00")


def test_a_delegate_decides_for_the_away_manager_and_the_agent_sees_who(
    client, manager, other_manager, agent, step, waiting
):
    delegate_approvals(
        delegator=manager,
        delegate=other_manager,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(other_manager)
    card = card_of(client.get(INBOX).content.decode(), step)
    assert "Maya Manager is away until" in card
    assert "Open the gesture" not in card  # the other team's gesture page stays closed to them

    client.post(approve_url(step), {"comment": "Covering for Maya"})

    step.refresh_from_db()
    assert (step.decided_by, step.on_behalf_of) == (other_manager, manager)
    client.force_login(agent)
    detail = client.get(reverse("empowerment:gesture-detail", args=[waiting.pk])).content.decode()
    steps = detail.split('<ol class="steps">')[1].split("</ol>")[0]
    assert "Marcus Other for Maya Manager" in steps
    assert "“Covering for Maya”" in steps


# Bulk approval.


def test_bulk_approve_approves_the_ticked_ones_and_says_which_failed_and_why(
    client, manager, team, other_team, agent, logged, other_manager, many_waiting, step
):
    ticked = many_waiting(3)
    too_big = step_of(logged(agent, cost="1200.00", customer_ref="TCK-BIG"))
    decided = many_waiting(1)[0]
    decide_approval(request=decided, actor=manager, approve=True)
    other_teams = step_of(logged(care_south_agent(other_team), cost="60.00"))
    client.force_login(manager)

    response = client.post(
        BULK,
        {
            "steps": [s.pk for s in ticked] + [too_big.pk, decided.pk, other_teams.pk],
            "next": INBOX + "?page=1",
        },
        follow=True,
    )

    assert response.redirect_chain == [(INBOX + "?page=1", 302)]
    html = response.content.decode()
    assert "Approved 3 requests: Aisha Agent’s gift for BULK-0 (£60.00)," in html
    assert "Not approved — Aisha Agent’s gift for TCK-BIG (£1,200.00):" in html
    assert "cannot cover £1,200.00" in html
    assert "2 ticked requests are no longer waiting for you" in html
    assert all(
        status == "approved"
        for status in ApprovalRequest.objects.filter(pk__in=[s.pk for s in ticked]).values_list(
            "status", flat=True
        )
    )
    for untouched in (too_big, other_teams, step):
        untouched.refresh_from_db()
        assert untouched.status == "pending"


def test_bulk_approve_with_nothing_ticked_says_so(client, manager, step):
    client.force_login(manager)

    response = client.post(BULK, {"steps": ["abc", "²"]}, follow=True)

    assert "Tick the requests you want to approve first." in response.content.decode()
    step.refresh_from_db()
    assert step.status == "pending"


@pytest.mark.parametrize("person", ["agent", "admin_user", "organiser"])
def test_bulk_approve_is_only_for_approvers(client, request, step, person):
    client.force_login(request.getfixturevalue(person))

    assert client.post(BULK, {"steps": [step.pk]}).status_code == 403
    step.refresh_from_db()
    assert step.status == "pending"


def test_every_card_on_the_inbox_can_be_ticked(client, manager, step):
    client.force_login(manager)

    html = client.get(INBOX).content.decode()

    assert f'<input type="checkbox" name="steps" value="{step.pk}" form="bulk-approve"' in html
    assert '<form id="bulk-approve" method="post" action="/approvals/approve-selected/"' in html


# The decided tab and a request's own page.


def test_the_decided_tab_lists_recent_decisions_with_their_reasons(client, manager, step):
    decide_approval(request=step, actor=manager, approve=False, comment="Try a <i>call-back</i>")
    client.force_login(manager)

    html = client.get(DECIDED).content.decode()

    assert "Aisha Agent’s gift for TCK-60 (£60.00)" in html
    assert 'badge--declined">Declined' in html
    assert "Try a &lt;i&gt;call-back&lt;/i&gt;" in html


def test_a_request_has_its_own_page_to_decide_from(client, manager, step):
    client.force_login(manager)

    html = client.get(reverse("empowerment:approval-detail", args=[step.pk])).content.decode()

    assert "Waiting for a decision" in html
    assert ">Approve</button>" in card_of(html, step)
    assert 'form="bulk-approve"' not in html


# Navigation and the agent's side.


def test_the_navigation_counts_what_waits_for_an_approver(client, manager, many_waiting):
    many_waiting(2)
    client.force_login(manager)

    nav = client.get(reverse("home")).content.decode().split('<nav class="site-nav"')[1]

    assert (
        f'<a href="{INBOX}">Approvals <span class="nav-count" id="nav-count-approvals">3'
        in nav.split("</nav>")[0]
    )


def test_the_gesture_page_shows_each_approval_step_and_the_decision(
    client, agent, manager, step, waiting
):
    decide_approval(request=step, actor=manager, approve=False, comment="Please use a voucher.")
    client.force_login(agent)

    html = client.get(reverse("empowerment:gesture-detail", args=[waiting.pk])).content.decode()

    assert "Why it was declined:</strong> Please use a voucher." in html
    steps = html.split('<ol class="steps">')[1].split("</ol>")[0]
    assert "Declined" in steps and "Team manager" in steps and "Maya Manager" in steps
    assert "“Please use a voucher.”" in steps


def test_the_gesture_page_query_count_does_not_grow_with_its_steps(
    client, agent, manager, finance_user, logged, programme
):
    programme.second_tier_threshold = Decimal("100.00")
    programme.save()
    one = logged(agent, cost="60.00", customer_ref="TCK-A")
    two = logged(agent, cost="150.00", customer_ref="TCK-B")
    decide_approval(request=step_of(two), actor=manager, approve=True)
    decide_approval(request=step_of(two), actor=finance_user, approve=True, comment="Fine")
    client.force_login(agent)

    def queries(gesture) -> CapturedQueries:
        url = reverse("empowerment:gesture-detail", args=[gesture.pk])
        client.get(url)
        with capture_queries() as captured:
            client.get(url)
        return captured

    assert_same_query_count(queries(one), queries(two))


def test_a_long_bulk_approval_names_a_few_and_counts_the_rest(client, manager, many_waiting):
    ticked = many_waiting(7)
    client.force_login(manager)

    response = client.post(BULK, {"steps": [s.pk for s in ticked]}, follow=True)

    html = response.content.decode()
    assert "Approved 7 requests: " in html and "(£60.00) and 2 more." in html
