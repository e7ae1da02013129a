"""People who use Medtour and the role that sets what each may see."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("foreign patient")
    INSTITUTION_STAFF = "institution_staff", _("institution staff")
    DISTRICT_OFFICER = "district_officer", _("district officer")
    CITY_ANALYST = "city_analyst", _("city analyst")
    CALL_CENTER_AGENT = "call_center_agent", _("call-center agent")
    SERVICE_COORDINATOR = "service_coordinator", _("service coordinator")
    ADMINISTRATOR = "administrator", _("administrator")
    INTERPRETER = "interpreter", _("medical interpreter")
    DRIVER = "driver", _("driver")


# Interpreters and drivers sign in for their own jobs only: they are not console staff.
FIELD_ROLES = frozenset({Role.INTERPRETER, Role.DRIVER})
STAFF_ROLES = frozenset(Role) - {Role.PATIENT} - FIELD_ROLES
# Roles an administrator may give an account from the console.
MANAGED_ROLES = STAFF_ROLES | FIELD_ROLES
MFA_REQUIRED_ROLES = frozenset({Role.CITY_ANALYST, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR})


class EmailUserManager(UserManager["User"]):
    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PATIENT)
    district = models.ForeignKey(
        "reference.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("district"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("institution"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="district_officer") | models.Q(district__isnull=False),
                name="district_officer_has_district",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="institution_staff") | models.Q(institution__isnull=False),
                name="institution_staff_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def mfa_required(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES
