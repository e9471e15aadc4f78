"""The billing tables in the admin, read-only: money moves only through the services (and
the billing desk), so that every change is balanced, linked to its cause and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from credence.billing.models import (
    CreditNote,
    Entry,
    Fund,
    Invoice,
    Line,
    Payment,
    ProviderEvent,
    Refund,
    RefundNotice,
    TopUp,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(admin.TabularInline):
    model = Line
    extra = 0
    can_delete = False
    readonly_fields = ["account", "candidate", "amount"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "booked_on", "memo", "currency"]
    list_filter = ["kind"]
    search_fields = ["memo"]
    inlines = [LineInline]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "candidate", "issued_on", "total", "subsidy", "amount_due"]
    search_fields = ["number", "candidate__email"]
    date_hierarchy = "issued_on"


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "issued_on", "fee", "subsidy"]
    search_fields = ["number", "invoice__number"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "method", "amount", "received_on", "reference"]
    list_filter = ["method"]
    search_fields = ["invoice__number", "bank_reference", "provider_reference"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "event_type", "invoice", "outcome", "payment"]
    list_filter = ["provider", "outcome"]
    search_fields = ["event_id", "invoice__number", "payment__provider_reference"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "certification", "amount", "status", "qualified_at", "paid_at"]
    list_filter = ["status"]


@admin.register(RefundNotice)
class RefundNoticeAdmin(ReadOnlyAdmin):
    list_display = ["refund", "kind", "amount", "position", "created_at"]


@admin.register(TopUp)
class TopUpAdmin(ReadOnlyAdmin):
    list_display = ["amount", "received_on", "note", "recorded_by"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["code", "balance", "currency"]
