"""Managers handing their approvals to another manager while they are away."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Delegation, User
from accounts.permissions import access_for, forget_access
from portal import locking
from portal.errors import Conflict, InvalidInput, NotPermitted
from portal.formatting import day_label
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.empowerment.services.escalations import move_steps, reassign_from, record_moves


def delegate_approvals(
    *, delegator: User, delegate: User, starts_on: date, ends_on: date, today: date | None = None
) -> Delegation:
    """A manager names another manager to decide their teams' requests for a range of dates.

    Both must be active managers; the range may not lie in the past or overlap another of the
    delegator's. When it starts today, the delegator's open requests move to the delegate at
    once, with a note; later starts are applied by :func:`apply_started_delegations`.
    """
    today = today or timezone.localdate()
    if not access_for(delegator).is_manager:
        raise NotPermitted("Only managers delegate approvals.")
    if delegate.pk == delegator.pk:
        raise InvalidInput(
            "Choose someone else.", field_errors={"delegate": ["Choose someone else."]}
        )
    if not delegate.is_active or not access_for(delegate).is_manager:
        message = "Approvals can only be delegated to another active manager."
        raise InvalidInput(message, field_errors={"delegate": [message]})
    if ends_on < starts_on:
        message = "The last day cannot be before the first."
        raise InvalidInput(message, field_errors={"ends_on": [message]})
    if starts_on < today:
        message = "The first day cannot be in the past; start today at the earliest."
        raise InvalidInput(message, field_errors={"starts_on": [message]})
    with transaction.atomic():
        # Serialise a delegator's delegations so two overlapping ones cannot both be accepted:
        # a key, not the person's row (portal/locking.py).
        locking.lock_keys(locking.person_delegations_key(delegator.pk))
        overlapping = Delegation.objects.filter(
            delegator=delegator,
            cancelled_at__isnull=True,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        ).exists()
        if overlapping:
            raise Conflict("You already have a delegation covering some of those dates.")
        delegation = Delegation.objects.create(
            delegator=delegator, delegate=delegate, starts_on=starts_on, ends_on=ends_on
        )
        trail.record(
            action=AuditAction.DELEGATION_CREATED,
            actor=delegator,
            subject=delegation,
            data={
                "delegator": delegator.pk,
                "delegate": delegate.pk,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
    if starts_on <= today:
        _hand_over(delegation, today)
    return delegation


@transaction.atomic
def cancel_delegation(*, delegation: Delegation, actor: User) -> Delegation:
    """The delegator comes back early (or changes plans). Requests already handed over stay
    with the delegate, visibly; the team's managers can decide them as always."""
    if actor.pk != delegation.delegator_id:
        raise NotPermitted("Only the manager who delegated can cancel it.")
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.cancelled_at is not None:
        raise Conflict("This delegation was already cancelled.")
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    trail.record(
        action=AuditAction.DELEGATION_CANCELLED,
        actor=actor,
        subject=locked,
        data={
            "delegate": locked.delegate_id,
            "starts_on": locked.starts_on,
            "ends_on": locked.ends_on,
        },
    )
    return locked


def apply_started_delegations(*, today: date | None = None) -> int:
    """Move open requests of every manager whose delegation is running today. Idempotent:
    a request already with the delegate is not moved again."""
    today = today or timezone.localdate()
    moved = 0
    for delegation in Delegation.objects.active_on(today).select_related("delegator", "delegate"):
        moved += _hand_over(delegation, today)
    return moved


@transaction.atomic
def deactivate_person(*, person: User, actor: User) -> int:
    """Switch someone's account off; their open approval requests go to someone who can decide.

    They can no longer log in, and their sessions and API token stop working at once. The token
    is also deleted, so that reactivating them later does not bring back a key they (or anyone
    who copied it) held before.

    The person's row, then their steps, and only then the audit entries: the chain after every
    row lock (portal/locking.py).
    """
    if not access_for(actor).can_administer:
        raise NotPermitted("Only administrators deactivate people.")
    return switch_off_person(person=person, actor=actor)


@transaction.atomic
def switch_off_person(*, person: User, actor: User | None, via: dict | None = None) -> int:
    """:func:`deactivate_person` without the question of who may: for the people context
    (programs.people.services.deactivate_person), which answers it itself (HR may deactivate
    too), and for provisioning, where the identity provider acts (``actor=None``, and ``via``
    names the provisioning token in the audit entry)."""
    if actor is not None and person.pk == actor.pk:
        raise Conflict("You cannot deactivate yourself.")
    person.is_active = False
    person.save(update_fields=["is_active"])
    Token.objects.filter(user=person).delete()
    forget_access(person)
    moved = move_steps(
        person=person, reason=f"{person} no longer works here.", day=timezone.localdate()
    )
    trail.record(
        action=AuditAction.PERSON_DEACTIVATED,
        actor=actor,
        subject=person,
        data={"email": person.email, **(via or {})},
    )
    record_moves(moved, person=person, actor=actor)
    return len(moved)


def _hand_over(delegation: Delegation, today: date) -> int:
    return reassign_from(
        person=delegation.delegator,
        reason=f"{delegation.delegator} is away until {day_label(delegation.ends_on)}.",
        day=today,
        actor=delegation.delegator,
        to=delegation.delegate,
    )
