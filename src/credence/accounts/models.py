from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The people Credence serves (docs/architecture.md, "Who uses it"). A user may hold
    several roles; each role is a Django group of the same name."""

    CANDIDATE = "candidate", _("Candidate")
    PROCTOR = "proctor", _("Proctor")
    EXAMINER = "examiner", _("Examiner")
    AUTHOR = "author", _("Author")
    STAFF = "staff", _("Program office")


class CredenceUserManager(UserManager["User"]):
    """E-mail is the login. The username column stays only because Django's admin and allauth
    expect it; it always mirrors the e-mail."""

    use_in_migrations = True

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> User:
        email = self.normalize_email(email)
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        # django-stubs leaves out UserManager's private _create_user, which Django 5.2 has.
        return self._create_user(email, email, password, **extra_fields)  # type: ignore[attr-defined]

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> User:
        email = self.normalize_email(email)
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        # django-stubs leaves out UserManager's private _create_user, which Django 5.2 has.
        return self._create_user(email, email, password, **extra_fields)  # type: ignore[attr-defined]


class User(AbstractUser):
    """A person with an account.

    .. pii: full name and e-mail address; password hash.
    .. pii_types: name, email_address
    .. pii_retirement: local_api (pseudonymized in place by privacy.services.user_erase through
       accounts.personal_data; never deleted, docs/data-protection.md)
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    # Mirrors the e-mail (see the manager), so it must hold any address the e-mail field takes.
    username = models.CharField(_("username"), max_length=254, unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As it should appear on certificates.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects: ClassVar[CredenceUserManager] = CredenceUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username = self.email
        super().save(*args, **kwargs)
