from django.conf import settings
from django.db import models


class RoleName(models.TextChoices):
    """Organisation-wide roles. Team roles (agent, manager) live on Membership."""

    FINANCE = "finance", "Finance"
    ORGANISER = "organiser", "Organiser"
    ADMIN = "admin", "Administrator"


class OrgRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles"
    )
    role = models.CharField(max_length=16, choices=RoleName.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "organisation role"
        ordering = ["role", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="orgrole_once_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=RoleName.values), name="orgrole_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
