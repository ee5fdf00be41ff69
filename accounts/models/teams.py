from django.conf import settings
from django.db import models

from portal.validators import single_line


class TeamQuerySet(models.QuerySet["Team"]):
    def managed_by(self, user) -> "TeamQuerySet":
        return self.filter(memberships__user=user, memberships__role=TeamRole.MANAGER)

    def with_member_counts(self) -> "TeamQuerySet":
        """How many active agents and managers each team has; deactivated people do not count."""
        active = models.Q(memberships__user__is_active=True)
        return self.annotate(
            agent_count=models.Count(
                "memberships", filter=active & models.Q(memberships__role=TeamRole.AGENT)
            ),
            manager_count=models.Count(
                "memberships", filter=active & models.Q(memberships__role=TeamRole.MANAGER)
            ),
        )


class Team(models.Model):
    """A customer-service team. A team may sit inside a parent team (a department)."""

    name = models.CharField(max_length=120, unique=True, validators=[single_line])
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The department this team belongs to, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="team_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"


class Membership(models.Model):
    """A person's place in a team: an agent who logs gestures, or a manager who approves them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.AGENT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team__name", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="membership_one_per_team"),
            models.CheckConstraint(
                condition=models.Q(role__in=TeamRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.team}"
