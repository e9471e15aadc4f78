"""The user admin for the program office: e-mail login, full name, and roles.

Roles are Django groups (accounts.models.Role), but the admin does not edit the groups field
directly: a "Roles" checkbox list is applied through ``user_assign_role``/``user_remove_role``
so that every role change is audited with the staff member who made it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from credence.accounts.access import admin_site_permission
from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role, user_remove_role
from credence.audit.adminlog import AuditedAdminMixin


class _RolesAndEmailMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )

    def clean_email(self) -> str:
        # allauth lower-cases addresses at sign-up; the admin must not create a second account
        # that differs only in case.
        return self.cleaned_data["email"].lower()


class UserCreationForm(_RolesAndEmailMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(_RolesAndEmailMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "user_permissions",
            "last_login",
            "date_joined",
        )


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    # Privilege flags are audited with who changed them; roles are audited by the services.
    audited_fields = ("is_active", "is_staff", "is_superuser")
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (_("Roles"), {"fields": ("roles",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "roles",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "role_list", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ("user_permissions",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Roles"))
    def role_list(self, user: User) -> str:
        labels = dict(Role.choices)
        return ", ".join(
            str(labels[group.name]) for group in user.groups.all() if group.name in labels
        )

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        assert request.user.is_authenticated  # the admin is the program office's only
        user = form.instance
        wanted = set(form.cleaned_data.get("roles", ()))
        for role in Role:
            if role.value in wanted:
                user_assign_role(user=user, role=role, acting_user=request.user)
            else:
                user_remove_role(user=user, role=role, acting_user=request.user)


# Only the program office uses the admin (docs/permissions.md): is_staff alone is not enough.
admin.site.has_permission = admin_site_permission  # type: ignore[method-assign]
