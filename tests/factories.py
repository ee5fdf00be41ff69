"""Test data builders. People and roles go through the services, as in production.

A builder is named for what it returns, after the service that makes it (allocate_budget:
``allocated_budget``), never like a selector (``programs.selectors.budgets.budget_for``).
"""

import itertools
import time
from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone

from accounts.models import Team, User
from programs.identity.mfa.services import enrol_in_totp
from programs.people import services as people

PASSWORD = "correct horse battery staple"
# The authenticator app of everyone the builders enrol (base32, as an app takes it).
TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
TOTP_PERIOD = 30  # allauth's default, which the portal keeps


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return people.create_person(
            email=kwargs["email"],
            name=kwargs["name"],
            password=kwargs.get("password", PASSWORD),
            actor=None,
        )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


def place(user: User, team: Team, role: str) -> User:
    people.set_membership(user=user, team=team, role=role, actor=None)
    return user


def grant(user: User, role: str, *, two_factor: bool = True) -> User:
    """The role; and for a role that requires two-factor authentication (finance, admin), an
    authenticator app with :data:`TOTP_SECRET` too, as such a person has before they can reach
    any page (``two_factor=False``: someone who has not enrolled yet)."""
    people.grant_role(user=user, role=role, actor=None)
    if two_factor and role in settings.MFA_REQUIRED_ROLES:
        enrolled(user)
    return user


def enrolled(user: User) -> User:
    """Enrolled in two-factor authentication: an authenticator app with :data:`TOTP_SECRET`,
    and recovery codes (``recovery_codes(user)``), as seed_demo enrols the demo's people."""
    enrol_in_totp(person=user, secret=TOTP_SECRET)
    return user


def recovery_codes(user: User) -> list[str]:
    from allauth.mfa.models import Authenticator

    found = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return found.wrap().get_unused_codes()


def totp_code(secret: str = TOTP_SECRET, *, steps: int = 0) -> str:
    """The code an authenticator app with ``secret`` shows now (``steps`` periods later)."""
    counter = int(time.time()) // TOTP_PERIOD + steps
    return format_hotp_value(hotp_value(secret, counter))


def staff_with(user: User, *permissions: str) -> User:
    """A back-office person: may use the admin site, with exactly these model permissions
    (``"app_label.codename"``), and no administrator role."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    people.update_person(person=user, is_staff=True, actor=None)
    wanted = Q(pk__in=[])
    for permission in permissions:
        app_label, codename = permission.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(wanted))
    assert len(found) == len(permissions), f"unknown permission among {permissions}"
    user.user_permissions.add(*found)
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A monthly GBP programme: £50 per gesture, £200 per agent, £100 per customer per day."""

    class Meta:
        model = "empowerment.Programme"
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
        model = "empowerment.GestureCategory"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def allocated_budget(team: Team, programme, *, amount: str = "1000.00", day: date | None = None):
    """A budget for the team's current (or ``day``'s) period, allocated through the service."""
    from programs.empowerment.services.budgets import allocate_budget

    start, _ = programme.period_bounds(day or timezone.localdate())
    allocator = grant(UserFactory(), "finance")
    budget, _ = allocate_budget(
        team=team, programme=programme, period_start=start, amount=amount, actor=allocator
    )
    return budget


def allowance_override(agent: User, programme, *, amount: str, reason: str, actor: User):
    """The agent's allowance for this period, set by their manager through the service."""
    from programs.empowerment.services.allowances import set_allowance

    return set_allowance(
        programme=programme,
        agent=agent,
        day=timezone.localdate(),
        amount=amount,
        reason=reason,
        actor=actor,
    )


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


# Appreciation days. Days, shifts, links and registrations go through the services.


def day_input(**overrides) -> dict:
    """Keyword arguments for create_day: a day in three weeks, 20 seats, parties up to 4."""
    starts = (timezone.now() + timedelta(days=21)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    values = {
        "title": "Customer Appreciation Day",
        "description": "Coffee, cake and the people who answer your calls.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "venue": "The Mill, Leeds",
        "capacity": 20,
        "max_party_size": 4,
        "registration_opens_at": timezone.now() - timedelta(days=1),
        "registration_closes_at": starts - timedelta(hours=1),
    }
    values.update(overrides)
    return values


def appreciation_day(organiser: User, *, publish: bool = True, **overrides):
    """A day created (and, unless told, published) by the organiser."""
    from programs.days.services.days import create_day, publish_day

    day = create_day(actor=organiser, **day_input(**overrides))
    if publish:
        day = publish_day(day=day, actor=organiser)
    return day


def created_invitation(day, organiser: User, **overrides):
    from programs.days.services.days import create_invitation

    overrides.setdefault("label", "Newsletter")
    return create_invitation(day=day, actor=organiser, **overrides)


def added_shift(day, organiser: User, *, hours: tuple[float, float] = (0, 2), **overrides):
    """A shift of the day from ``hours[0]`` to ``hours[1]`` hours after it starts."""
    from programs.days.services.shifts import add_shift

    values = {
        "role": "Greeter",
        "starts_at": day.starts_at + timedelta(hours=hours[0]),
        "ends_at": day.starts_at + timedelta(hours=hours[1]),
        "capacity": 2,
    }
    values.update(overrides)
    return add_shift(day=day, actor=organiser, **values)


_guests = itertools.count(1)


def registration_input(token: str, **overrides) -> dict:
    """Keyword arguments for register: a party of 2 with a fresh e-mail address."""
    n = next(_guests)
    values = {
        "token": token,
        "name": f"Guest {n}",
        "email": f"guest{n}@customer.test",
        "party_size": 2,
        "consent": True,
    }
    values.update(overrides)
    return values


def registered(invitation, **overrides):
    """Register through the service; returns the Registration."""
    from programs.days.services.registrations import register_customer

    return register_customer(**registration_input(invitation.token, **overrides)).registration
