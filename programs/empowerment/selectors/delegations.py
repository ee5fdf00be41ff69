"""A manager's delegations, given and received, that are running or still to come."""

from datetime import date

from django.db.models import QuerySet

from accounts.models import Delegation, User


def _current_and_upcoming(day: date) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(cancelled_at__isnull=True, ends_on__gte=day)
        .select_related("delegator", "delegate")
        .order_by("starts_on", "id")
    )


def delegations_given(user: User, *, day: date) -> QuerySet[Delegation]:
    return _current_and_upcoming(day).filter(delegator=user)


def delegations_received(user: User, *, day: date) -> QuerySet[Delegation]:
    return _current_and_upcoming(day).filter(delegate=user)
