"""The audit trail in the admin: readable by staff with the view permission, never edited.

Rows are only added by ``audit.api.record`` inside the service that makes the change, so the
admin grants neither add, change nor delete, not even to superusers."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from credence.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "subject_user", "subject_type", "subject_id")
    list_filter = ("action", "subject_type")
    list_select_related = ("actor", "subject_user")
    search_fields = ("action", "subject_id", "reason", "actor__email", "subject_user__email")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "action",
        "subject_type",
        "subject_id",
        "subject_user",
        "reason",
        "before",
        "after",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
