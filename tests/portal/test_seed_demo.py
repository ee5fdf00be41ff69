import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Membership, OrgRole, Team, User
from accounts.permissions import access_for
from programs.audit.models import AuditEntry
from programs.empowerment.models import Budget, Gesture, GestureCategory, Programme

DEMO = {
    "admin@demo.test": (["admin"], {}),
    "finance@demo.test": (["finance"], {}),
    "organiser@demo.test": (["organiser"], {}),
    "manager@demo.test": (["manager"], {"Care North": "manager"}),
    "agent@demo.test": (["agent"], {"Care North": "agent"}),
    "agent2@demo.test": (["agent"], {"Care North": "agent"}),
    "manager2@demo.test": (["manager"], {"Care South": "manager"}),
    "agent3@demo.test": (["agent"], {"Care South": "agent"}),
    "agent4@demo.test": (["agent"], {"Care South": "agent"}),
    "agent5@demo.test": (["agent"], {"Care North": "agent"}),
}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            User,
            Team,
            Membership,
            OrgRole,
            Programme,
            GestureCategory,
            Budget,
            Gesture,
            AuditEntry,
        )
    )


@pytest.mark.django_db
def test_seed_demo_creates_the_documented_accounts():
    call_command("seed_demo")
    for email, (roles, teams) in DEMO.items():
        user = User.objects.get(email=email)
        assert user.check_password("demo-pass-2026"), email
        access = access_for(user)
        assert access.ordered_roles == roles, email
        assert {p.team_name: p.role for p in access.teams} == teams, email
    assert User.objects.get(email="admin@demo.test").is_superuser


@pytest.mark.django_db
def test_seed_demo_twice_leaves_one_copy_of_everything():
    call_command("seed_demo")
    once = _counts()
    call_command("seed_demo")
    assert _counts() == once
    assert once[0] == len(DEMO)


@pytest.mark.django_db
def test_seed_demo_refuses_production_unless_told(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert User.objects.count() == 0
    call_command("seed_demo", allow_production=True)
    assert User.objects.count() == len(DEMO)


@pytest.mark.django_db
def test_seed_demo_funds_every_team_and_tells_stories():
    call_command("seed_demo")
    programme = Programme.objects.get(is_active=True)
    start, _ = programme.period_bounds(timezone.localdate())
    for team in ("Care North", "Care South"):
        assert Budget.objects.filter(team__name=team, period_start=start).exists()
    gestures = Gesture.objects.all()
    assert gestures.count() >= 12
    assert gestures.filter(cost=0).count() >= 3
    assert gestures.filter(status="pending").exists()
    assert gestures.filter(possible_duplicate=True).exists()
    for budget in Budget.objects.all():
        assert budget.committed + budget.spent <= budget.amount


@pytest.mark.django_db
def test_seed_demo_enrols_finance_and_the_administrator_with_the_documented_secret():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt

    call_command("seed_demo")
    call_command("seed_demo")

    enrolled = Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    assert sorted(enrolled.values_list("user__email", flat=True)) == [
        "admin@demo.test",
        "finance@demo.test",
    ]
    for authenticator in enrolled:
        assert decrypt(TOTP(authenticator).instance.data["secret"]) == "JBSWY3DPEHPK3PXP"
    codes = Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES)
    assert codes.count() == 2
