"""A small, believable organisation for the fuzzers to attack.

Everything is built through the factories and the services, as in production, so the ids the
fuzzers aim at belong to real gestures, approvals, reviews, days, shifts and registrations.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import RoleName, TeamRole, User
from programs.days.services.shifts import sign_up_for_shift
from programs.empowerment.models import ApprovalRequest, Budget, GestureReview, Programme
from programs.empowerment.services.budgets import request_topup
from programs.empowerment.services.delegations import delegate_approvals
from programs.empowerment.services.gestures import log_gesture
from programs.identity.api_tokens.services import create_personal_token
from programs.notifications.models import Notification
from programs.people.imports import preview_import
from programs.people.invitations import invite_person
from programs.people.provisioning import create_provisioning_token
from tests.factories import (
    CategoryFactory,
    ProgrammeFactory,
    TeamFactory,
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

# The identities every fuzzer acts as; None is nobody logged in.
ROLES = ("agent", "manager", "finance", "organiser", "admin", None)


@dataclass
class World:
    """The people by role, and the ids and tokens of real objects, by kind."""

    people: dict[str, User]
    ids: dict[str, list[int]] = field(default_factory=dict)
    tokens: dict[str, list[str]] = field(default_factory=dict)
    slugs: list[str] = field(default_factory=list)


def build_world() -> World:
    """A programme with two teams and their budgets, gestures approved and waiting (one over the
    second-tier threshold), a top-up request, a review, a delegation, a published day with
    shifts, an invitation and registrations (one waiting), a draft day, an invitation to join the
    portal, a previewed CSV import, a SCIM provisioning token, a colleague's passkey and the
    agent's personal API token (with its sign-in event). Finance and the administrator have
    enrolled in two-factor authentication (the builders do that)."""
    programme = ProgrammeFactory(review_sample_percent=100)
    gift = CategoryFactory(name="Gift", slug="gift")
    flowers = CategoryFactory(name="Flowers", slug="flowers")
    north, south = TeamFactory(name="Care North"), TeamFactory(name="Care South")

    agent = place(UserFactory(name="Aisha Agent"), north, TeamRole.AGENT)
    colleague = place(UserFactory(name="Cai Colleague"), north, TeamRole.AGENT)
    manager = place(UserFactory(name="Maya Manager"), north, TeamRole.MANAGER)
    other_manager = place(UserFactory(name="Marcus Other"), south, TeamRole.MANAGER)
    place(UserFactory(name="Olive Outsider"), south, TeamRole.AGENT)
    finance = grant(UserFactory(name="Fiona Finance"), RoleName.FINANCE)
    organiser = grant(UserFactory(name="Olu Organiser"), RoleName.ORGANISER)
    admin = grant(UserFactory(name="Sam Admin"), RoleName.ADMIN)

    north_budget = allocated_budget(north, programme, amount="1000.00")
    allocated_budget(south, programme, amount="500.00")

    def log(who: User, ref: str, cost: str):
        return log_gesture(
            agent=who, programme=programme, **gesture_input(customer_ref=ref, cost=Decimal(cost))
        ).gesture

    gestures = [
        log(agent, "TCK-3001", "10.00"),  # approved at once, and sampled for review
        log(agent, "TCK-3002", "0.00"),  # free
        log(agent, "TCK-3003", "60.00"),  # over the gesture limit: waits for the manager
        log(colleague, "TCK-3004", "45.00"),
        log(agent, "TCK-3005", "300.00"),  # over the second-tier threshold
    ]
    request_topup(budget=north_budget, amount="250.00", reason="Storm week", actor=manager)
    today = timezone.localdate()
    delegation = delegate_approvals(
        delegator=manager,
        delegate=other_manager,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=14),
    )

    day = appreciation_day(organiser, capacity=4, max_party_size=4)
    draft = appreciation_day(organiser, publish=False, title="Spring open house")
    greeters = added_shift(day, organiser, hours=(0, 2))
    added_shift(day, organiser, hours=(2, 4), role="Host", capacity=1)
    sign_up_for_shift(shift=greeters, user=agent)
    invitation = created_invitation(day, organiser)
    confirmed = registered(invitation, party_size=3)
    waiting = registered(invitation, party_size=2)
    joining = invite_person(
        email="new.starter@example.test",
        name="Nell Starter",
        team=north,
        team_role="agent",
        actor=admin,
    )
    import_run = preview_import(
        data=b"email,name,team,role\nivy@example.test,Ivy,Care North,agent\n",
        filename="people.csv",
        actor=admin,
    )
    scim = create_provisioning_token(name="Entra ID", actor=admin)

    # A colleague's passkey (what allauth keeps of one; no browser made it): its pages are
    # there to reach, and are nobody else's (404 to every role the sweeps act as).
    security_key = Authenticator.objects.create(
        user=colleague,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Desk key", "credential": {"clientExtensionResults": {"credProps": {}}}},
    )

    personal_token = create_personal_token(person=agent, name="Helpdesk script").token

    return World(
        people={
            "agent": agent,
            "manager": manager,
            "finance": finance,
            "organiser": organiser,
            "admin": admin,
        },
        ids={
            "gesture": [g.pk for g in gestures],
            "approval": list(ApprovalRequest.objects.values_list("pk", flat=True)),
            "review": list(GestureReview.objects.values_list("pk", flat=True)),
            "day": [day.pk, draft.pk],
            "shift": list(day.shifts.values_list("pk", flat=True)),
            "invitation": [invitation.pk],
            "registration": [confirmed.pk, waiting.pk],
            "team": [north.pk, south.pk],
            "programme": list(Programme.objects.values_list("pk", flat=True)),
            "budget": list(Budget.objects.values_list("pk", flat=True)),
            "person": [agent.pk, colleague.pk, manager.pk, other_manager.pk, organiser.pk],
            "delegation": [delegation.pk],
            "notification": list(Notification.objects.values_list("pk", flat=True)),
            "person_invitation": [joining.invitation.pk],
            "import_run": [import_run.pk],
            "provisioning_token": [scim.token.pk],
            "security_key": [security_key.pk],
            "personal_token": [personal_token.pk],
        },
        tokens={
            "invitation": [invitation.token],
            "registration": [confirmed.manage_token, waiting.manage_token],
            "person_invitation": [joining.token],
        },
        slugs=[gift.slug, flowers.slug],
    )


@pytest.fixture
def unthrottled(settings):
    """The fuzzers send thousands of requests from one address: let them all reach the views."""
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates.update({scope: "1000000/min" for scope in rates})
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
