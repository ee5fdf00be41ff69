"""Test data builders. People and roles go through the services, as in production."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Team, User
from accounts.services import people

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return people.create_person(
            email=kwargs["email"], name=kwargs["name"], password=kwargs.get("password", PASSWORD)
        )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


def place(user: User, team: Team, role: str) -> User:
    people.set_membership(user=user, team=team, role=role)
    return user


def grant(user: User, role: str) -> User:
    people.grant_role(user=user, role=role)
    return user


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A monthly GBP programme: £50 per gesture, £200 per agent, £100 per customer per day."""

    class Meta:
        model = "programs.Programme"
        django_get_or_create = ("name",)

    name = "Empathy in Action"
    currency = "GBP"
    period = "monthly"
    gesture_limit = Decimal("50.00")
    agent_allowance = Decimal("200.00")
    allowance_floor = Decimal("0.00")
    allowance_ceiling = Decimal("500.00")
    second_tier_threshold = Decimal("250.00")
    escalate_after_hours = 24
    customer_daily_limit = Decimal("100.00")
    review_sample_percent = 0  # tests that sample for review say so
    is_active = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.GestureCategory"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def budget_for(team: Team, programme, *, amount: str = "1000.00", day: date | None = None):
    """A budget for the team's current (or ``day``'s) period, allocated through the service."""
    from programs.services.budgets import allocate_budget

    start, _ = programme.period_bounds(day or timezone.localdate())
    allocator = grant(UserFactory(), "finance")
    budget, _ = allocate_budget(
        team=team, programme=programme, period_start=start, amount=amount, actor=allocator
    )
    return budget


def gesture_input(**overrides) -> dict:
    """Keyword arguments for log_gesture: a believable gesture costing £10 today."""
    values = {
        "category": "gift",
        "channel": "phone",
        "customer_ref": "TCK-1001",
        "situation": "Her order for her father's 80th birthday arrived broken.",
        "action": "Sent a replacement by courier and a handwritten card.",
        "cost": Decimal("10.00"),
        "occurred_on": timezone.localdate(),
    }
    values.update(overrides)
    return values
