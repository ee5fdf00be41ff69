from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from portal.validators import ONE_LINE, SINGLE_LINE_PATTERN, single_line


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # E-mail addresses are matched without regard to case: Ann@X and ann@x are one person.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def active(self) -> models.QuerySet["User"]:
        return self.filter(is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person in the organisation. The e-mail address is the login."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    name = models.CharField("display name", max_length=150, validators=[single_line])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "may use the admin site",
        default=False,
        help_text="Set by the admin role; lets the person into the Django admin.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(condition=~models.Q(email=""), name="user_email_not_blank"),
            models.CheckConstraint(
                condition=~models.Q(name__regex=SINGLE_LINE_PATTERN),
                name="user_name_one_line",
                violation_error_message=ONE_LINE,
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email
