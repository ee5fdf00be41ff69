from django.conf import settings
from django.db import models


class Claims(models.Model):
    """What the provider says about a person beyond their user record: whether it vouches for
    their e-mail address, and the groups it puts them in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    name = models.CharField(max_length=150)
    email_verified = models.BooleanField(default=True)
    groups = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.name
