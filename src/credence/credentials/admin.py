"""Certificates and signing keys in the admin, read-only: every change of a certificate's
status goes through the staff status page (``credentials.services``), which audits it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from credence.credentials.models import Certificate, SigningKey


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(_ReadOnly):
    list_display = [
        "serial",
        "holder",
        "award",
        "issued_on",
        "valid_until",
        "revoked_on",
        "suspended_on",
        "manage",
    ]
    list_filter = ["award", "rule"]
    search_fields = ["serial", "holder__email", "holder__full_name"]
    exclude = ["credential"]

    @admin.display(description=_("status"))
    def manage(self, certificate: Certificate) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("credentials:verify", args=[certificate.serial]),
            _("verification page"),
            reverse("credentials:manage-status", args=[certificate.serial]),
            _("revoke or suspend"),
        )


@admin.register(SigningKey)
class SigningKeyAdmin(_ReadOnly):
    list_display = ["key_id", "public_key_multibase", "created_at", "rotated_at", "signing"]
