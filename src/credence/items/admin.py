"""The program office's read-only view of the bank in Django's admin (only the office opens
the admin, accounts.access). Authors work in the item bank's own pages (views.py, /items/),
where the office does too: items are written there or by ``credence items import``, always
through the services, so that every change is versioned and audited."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from credence.items.models import Item, ItemVersion

# shown, and only shown: a version is never edited here
_VERSION_FIELDS = ("number", "type", "first_used_at", "created_at", "created_by")


class ItemVersionInline(admin.TabularInline):
    model = ItemVersion
    extra = 0
    fields = _VERSION_FIELDS
    readonly_fields = _VERSION_FIELDS
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "certification", "created_at"]
    list_filter = ["certification"]
    search_fields = ["name"]
    readonly_fields = ["certification", "name", "created_at"]
    inlines = [ItemVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    list_display = ["item", "number", "type", "first_used_at"]
    list_filter = ["type", "item__certification"]
    readonly_fields = [
        "item",
        "number",
        "type",
        "content",
        "topics",
        "created_at",
        "created_by",
        "first_used_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
