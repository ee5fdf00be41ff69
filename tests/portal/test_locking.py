"""Every service takes its locks in the one order written down in portal/locking.py.

Each case runs one service and reads the SQL it sent: advisory keys first, then rows table by
table in ``ROW_ORDER`` (an UPDATE or DELETE of rows not locked yet counts as locking them), the
foreign-key checks run, and the audit chain last, with nothing after it but the entry itself.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import TeamRole
from portal import locking
from programs.audit.models import AuditEntry
from programs.days.services import days, registrations, shifts
from programs.empowerment.models import ApprovalRequest, Budget, GestureReview, Programme
from programs.empowerment.services import (
    allowances,
    approvals,
    budgets,
    delegations,
    escalations,
    gestures,
    reviews,
)
from programs.stories import services as stories
from tests.factories import (
    UserFactory,
    added_shift,
    allocated_budget,
    appreciation_day,
    created_invitation,
    gesture_input,
    grant,
    place,
    registered,
)
from tests.support.postgresql import only_on_postgresql
from tests.support.queries import capture_queries

pytestmark = [
    pytest.mark.django_db,
    only_on_postgresql("advisory locks and deferred constraints are PostgreSQL's"),
    pytest.mark.usefixtures("category"),
]

RANK = {apps.get_model(label)._meta.db_table: rank for rank, label in enumerate(locking.ROW_ORDER)}
AUDIT_TABLE = AuditEntry._meta.db_table
CHAIN = locking._as_bigint(locking.AUDIT_CHAIN)
FOR_UPDATE = re.compile(r" FOR (?:NO KEY )?UPDATE(?: OF (?P<of>.+?))?(?: NOWAIT| SKIP LOCKED)?$")
JOINED = re.compile(r'(?:FROM|JOIN) "(\w+)"')


def lock_order_problems(statements: list[str]) -> tuple[list[str], int]:
    """What in this SQL breaks the lock order, and how many times it took the audit chain.

    The test runs inside a transaction of its own, so each transaction of a service shows as
    its outermost savepoint; the order starts again after each.
    """
    problems: list[str] = []
    held: set[tuple[str, int]] = set()
    rank, chain_taken, unchecked_writes, depth, chains = -1, 0, False, 0, 0

    def lock(table: str, pks: set[int], sql: str) -> None:
        nonlocal rank
        if pks and {(table, pk) for pk in pks} <= held:
            return  # rows this transaction holds already: no new wait
        if chain_taken:
            problems.append(f"locks {table} after the audit chain: {sql[:160]}")
        if table not in RANK:
            problems.append(f"locks {table}, which is not in ROW_ORDER: {sql[:160]}")
        elif RANK[table] < rank:
            problems.append(f"locks {table} after {locking.ROW_ORDER[rank]}: {sql[:160]}")
        else:
            rank = RANK[table]
        held.update((table, pk) for pk in pks)

    for raw in statements:
        sql = " ".join(raw.split())
        if sql.startswith("SAVEPOINT"):
            depth += 1
            continue
        if sql.startswith("RELEASE SAVEPOINT"):
            depth -= 1
            if depth == 0:
                held.clear()
                rank, chain_taken, unchecked_writes = -1, 0, False
            continue
        if sql.startswith("ROLLBACK TO SAVEPOINT"):
            continue
        if sql.startswith("SET CONSTRAINTS ALL IMMEDIATE"):
            unchecked_writes = False
            continue
        advisory = re.fullmatch(r"SELECT pg_advisory_xact_lock\((-?\d+)\)", sql)
        if advisory:
            if int(advisory[1]) == CHAIN:
                if unchecked_writes:
                    problems.append("takes the audit chain before checking its foreign keys")
                chain_taken += 1
                chains += 1
            elif chain_taken or rank >= 0:
                problems.append(f"takes an advisory key after a row or the chain: {sql}")
            continue
        if sql.endswith("FOR KEY SHARE"):
            continue  # the chain's own step: the people its entry names
        write = re.match(r'(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"', sql)
        if write:
            table = write[1]
            if table == AUDIT_TABLE:
                continue
            unchecked_writes = True
            if chain_taken:
                problems.append(f"writes {table} after the audit chain: {sql[:160]}")
            if not sql.startswith("INSERT"):
                by_pk = re.search(rf'WHERE "{table}"\."id" (?:= (\d+)|IN \(([\d, ]+)\))$', sql)
                lock(table, _pks(by_pk), sql)
            continue
        found = FOR_UPDATE.search(sql)
        if found:
            tables = re.findall(r'"(\w+)"', found["of"]) if found["of"] else JOINED.findall(sql)
            for table in tables:
                by_pk = re.search(rf'WHERE "{table}"\."id" (?:= (\d+)|IN \(([\d, ]+)\))', sql)
                lock(table, _pks(by_pk), sql)
    return problems, chains


def _pks(match) -> set[int]:
    if match is None:
        return set()
    return {int(pk) for pk in (match[1] or match[2]).split(",")}


@dataclass
class World:
    programme: Programme
    budget: Budget
    team: object
    agent: object
    manager: object
    finance: object
    admin: object
    organiser: object


@pytest.fixture
def world(team, programme, agent, manager, finance_user, admin_user, organiser) -> World:
    return World(
        programme=programme,
        budget=allocated_budget(team, programme),
        team=team,
        agent=agent,
        manager=manager,
        finance=finance_user,
        admin=admin_user,
        organiser=organiser,
    )


def _waiting(w: World, cost: str = "60.00", **overrides):
    gesture = gestures.log_gesture(agent=w.agent, **gesture_input(cost=cost, **overrides)).gesture
    return gesture, ApprovalRequest.objects.get(gesture=gesture, status="pending")


def _topup_step(w: World):
    request = budgets.request_topup(budget=w.budget, amount="50.00", reason="Rush", actor=w.manager)
    return ApprovalRequest.objects.get(budget_request=request)


def _day_with_waitlist(w: World):
    day = appreciation_day(w.organiser, capacity=4)
    link = created_invitation(day, w.organiser)
    first = registered(link, party_size=4)
    waiting = [registered(link, party_size=2) for _ in range(2)]
    return day, link, first, waiting


def logging_an_approved_gesture_sampled_for_review(w):
    Programme.objects.filter(pk=w.programme.pk).update(review_sample_percent=100)
    return lambda: gestures.log_gesture(agent=w.agent, **gesture_input()).gesture


def logging_a_waiting_gesture(w):
    return lambda: gestures.log_gesture(agent=w.agent, **gesture_input(cost="60.00")).gesture


def withdrawing_a_gesture(w):
    gesture, _ = _waiting(w)
    return lambda: gestures.withdraw_gesture(gesture=gesture, actor=w.agent)


def recording_an_outcome(w):
    gesture = gestures.log_gesture(agent=w.agent, **gesture_input()).gesture
    return lambda: gestures.record_gesture_outcome(
        gesture=gesture, actor=w.agent, outcome="Delighted", outcome_rating="delighted"
    )


def allocating_a_new_budget(w):
    start, _ = w.programme.period_bounds(timezone.localdate() + timedelta(days=40))
    return lambda: budgets.allocate_budget(
        team=w.team, programme=w.programme, period_start=start, amount="500", actor=w.finance
    )


def changing_a_budget(w):
    return lambda: budgets.allocate_budget(
        team=w.team,
        programme=w.programme,
        period_start=w.budget.period_start,
        amount="1500",
        actor=w.finance,
    )


def rolling_budgets_over(w):
    return lambda: budgets.roll_over_budgets(today=w.budget.period_end + timedelta(days=1))


def requesting_a_topup(w):
    return lambda: budgets.request_topup(
        budget=w.budget, amount="50.00", reason="Rush", actor=w.manager
    )


def approving_a_gesture(w):
    _, step = _waiting(w)
    return lambda: approvals.decide_approval(request=step, actor=w.manager, approve=True)


def declining_a_gesture(w):
    _, step = _waiting(w)
    return lambda: approvals.decide_approval(
        request=step, actor=w.manager, approve=False, comment="No"
    )


def approving_a_gesture_that_finance_approves_next(w):
    Programme.objects.filter(pk=w.programme.pk).update(
        gesture_limit="500.00", second_tier_threshold="50.00"
    )
    _, step = _waiting(w, cost="300.00")
    return lambda: approvals.decide_approval(request=step, actor=w.manager, approve=True)


def approving_a_topup(w):
    step = _topup_step(w)
    return lambda: approvals.decide_approval(request=step, actor=w.finance, approve=True)


def escalating_overdue_steps(w):
    _waiting(w)
    _topup_step(w)
    ApprovalRequest.objects.update(due_at=timezone.now() - timedelta(hours=1))
    return lambda: escalations.escalate_overdue()


def delegating_from_today(w):
    _waiting(w)
    _waiting(w, customer_ref="TCK-2002")
    other = place(UserFactory(), w.team, TeamRole.MANAGER)
    today = timezone.localdate()
    return lambda: delegations.delegate_approvals(
        delegator=w.manager, delegate=other, starts_on=today, ends_on=today + timedelta(days=3)
    )


def cancelling_a_delegation(w):
    other = place(UserFactory(), w.team, TeamRole.MANAGER)
    later = timezone.localdate() + timedelta(days=5)
    delegation = delegations.delegate_approvals(
        delegator=w.manager, delegate=other, starts_on=later, ends_on=later
    )
    return lambda: delegations.cancel_delegation(delegation=delegation, actor=w.manager)


def deactivating_a_manager_with_open_steps(w):
    _waiting(w)
    _waiting(w, customer_ref="TCK-2002")
    return lambda: delegations.deactivate_person(person=w.manager, actor=w.admin)


def setting_an_allowance(w):
    return lambda: allowances.set_allowance(
        programme=w.programme,
        agent=w.agent,
        day=timezone.localdate(),
        amount="250",
        reason="Covering the holidays",
        actor=w.manager,
    )


def completing_a_review(w):
    Programme.objects.filter(pk=w.programme.pk).update(review_sample_percent=100)
    gestures.log_gesture(agent=w.agent, **gesture_input())
    review = GestureReview.objects.get()
    return lambda: reviews.complete_review(review=review, actor=w.finance, concern=False)


def creating_a_day(w):
    from tests.factories import day_input

    return lambda: days.create_day(actor=w.organiser, **day_input())


def enlarging_a_day_promotes_its_waitlist(w):
    day, *_ = _day_with_waitlist(w)
    return lambda: days.update_day(day=day, actor=w.organiser, capacity=8)


def publishing_a_day(w):
    day = appreciation_day(w.organiser, publish=False)
    return lambda: days.publish_day(day=day, actor=w.organiser)


def cancelling_a_day_with_customers_and_staff(w):
    day, *_ = _day_with_waitlist(w)
    shifts.sign_up_for_shift(shift=added_shift(day, w.organiser), user=w.agent)
    return lambda: days.cancel_day(day=day, actor=w.organiser, reason="Flooded")


def completing_a_day(w):
    day = appreciation_day(w.organiser)
    later = day.starts_at + timedelta(hours=1)
    return lambda: days.complete_day(day=day, actor=w.organiser, now=later)


def adding_an_organiser(w):
    day = appreciation_day(w.organiser)
    other = grant(UserFactory(), "organiser")
    return lambda: days.add_organiser(day=day, actor=w.organiser, person=other)


def creating_an_invitation(w):
    day = appreciation_day(w.organiser)
    return lambda: days.create_invitation(day=day, actor=w.organiser, label="Shop window")


def revoking_an_invitation(w):
    link = created_invitation(appreciation_day(w.organiser), w.organiser)
    return lambda: days.revoke_invitation(invitation=link, actor=w.organiser)


def registering(w):
    link = created_invitation(appreciation_day(w.organiser), w.organiser)
    from tests.factories import registration_input

    return lambda: registrations.register_customer(**registration_input(link.token))


def cancelling_a_registration_promotes_the_waitlist(w):
    _, _, first, _ = _day_with_waitlist(w)
    return lambda: registrations.cancel_registration(registration=first)


def checking_in(w):
    _, _, first, _ = _day_with_waitlist(w)
    return lambda: registrations.check_in_registration(registration=first, actor=w.organiser)


def anonymising_old_registrations(w):
    _day_with_waitlist(w)
    later = timezone.now() + timedelta(days=200)
    return lambda: registrations.anonymise_registrations(older_than_days=90, now=later)


def adding_a_shift(w):
    day = appreciation_day(w.organiser)
    return lambda: added_shift(day, w.organiser)


def signing_up_for_a_shift(w):
    shift = added_shift(appreciation_day(w.organiser), w.organiser)
    return lambda: shifts.sign_up_for_shift(shift=shift, user=w.agent)


def leaving_a_shift(w):
    shift = added_shift(appreciation_day(w.organiser), w.organiser)
    shifts.sign_up_for_shift(shift=shift, user=w.agent)
    return lambda: shifts.leave_shift(shift=shift, user=w.agent)


def thanking_a_story(w):
    story = gestures.log_gesture(agent=w.agent, **gesture_input()).gesture
    return lambda: stories.thank_story(story=story, user=w.manager)


def hiding_a_story(w):
    story = gestures.log_gesture(agent=w.agent, **gesture_input()).gesture
    return lambda: stories.hide_story(story=story, actor=w.manager, reason="The family asked.")


def showing_a_story_again(w):
    story = gestures.log_gesture(agent=w.agent, **gesture_input()).gesture
    stories.hide_story(story=story, actor=w.manager, reason="The family asked.")
    return lambda: stories.show_story(story=story, actor=w.manager)


CASES = [
    logging_an_approved_gesture_sampled_for_review,
    logging_a_waiting_gesture,
    withdrawing_a_gesture,
    recording_an_outcome,
    allocating_a_new_budget,
    changing_a_budget,
    rolling_budgets_over,
    requesting_a_topup,
    approving_a_gesture,
    declining_a_gesture,
    approving_a_gesture_that_finance_approves_next,
    approving_a_topup,
    escalating_overdue_steps,
    delegating_from_today,
    cancelling_a_delegation,
    deactivating_a_manager_with_open_steps,
    setting_an_allowance,
    completing_a_review,
    creating_a_day,
    enlarging_a_day_promotes_its_waitlist,
    publishing_a_day,
    cancelling_a_day_with_customers_and_staff,
    completing_a_day,
    adding_an_organiser,
    creating_an_invitation,
    revoking_an_invitation,
    registering,
    cancelling_a_registration_promotes_the_waitlist,
    checking_in,
    anonymising_old_registrations,
    adding_a_shift,
    signing_up_for_a_shift,
    leaving_a_shift,
    thanking_a_story,
    hiding_a_story,
    showing_a_story_again,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_every_service_takes_its_locks_in_the_one_order(world, case):
    call = case(world)
    before = AuditEntry.objects.count()
    with capture_queries() as captured:
        call()
    problems, chain_taken = lock_order_problems(captured.sql)
    assert problems == [], "\n".join(problems)
    # Not vacuous: the service did write to the audit trail, under the chain's lock.
    assert AuditEntry.objects.count() > before
    assert chain_taken >= 1


def test_the_check_catches_the_orders_the_services_used_to_have():
    """Control: the trails of the old top-up (chain before its foreign-key check), the old
    decision (the programme's row locked through a join), the old deactivation (steps after
    the chain) and the old escalation (the step before its gesture) are all refused."""
    chain = f"SELECT pg_advisory_xact_lock({CHAIN})"
    audit_insert = 'INSERT INTO "' + AUDIT_TABLE + '" ("seq") VALUES (1)'  # noqa: S608
    old_topup = ['INSERT INTO "programs_budgetrequest" ("budget_id") VALUES (1)', chain]
    old_decision = [
        'SELECT "programs_gesture"."id" FROM "programs_gesture" INNER JOIN "programs_programme" '
        'ON (1 = 1) WHERE "programs_gesture"."id" = 1 LIMIT 21 FOR UPDATE'
    ]
    old_deactivation = [
        "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED",
        chain,
        audit_insert,
        'SELECT "programs_approvalrequest"."id" FROM "programs_approvalrequest" WHERE '
        '"programs_approvalrequest"."id" = 3 LIMIT 21 FOR UPDATE OF "programs_approvalrequest"',
    ]
    old_escalation = [
        'SELECT "programs_approvalrequest"."id" FROM "programs_approvalrequest" WHERE '
        '"programs_approvalrequest"."id" = 3 LIMIT 21 FOR UPDATE OF "programs_approvalrequest"',
        'SELECT "programs_gesture"."id" FROM "programs_gesture" WHERE "programs_gesture"."id" = 1 '
        'LIMIT 21 FOR UPDATE OF "programs_gesture"',
    ]
    for trail, expected in [
        (old_topup, "before checking its foreign keys"),
        (old_decision, "programs_programme, which is not in ROW_ORDER"),
        (old_deactivation, "after the audit chain"),
        (old_escalation, "programs_gesture after empowerment.ApprovalRequest"),
    ]:
        problems, _ = lock_order_problems(trail)
        assert any(expected in problem for problem in problems), (trail, problems)
