from django.contrib import admin

from credence.accommodations.models import Accommodation


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "kind", "time_factor", "status", "valid_from", "valid_until")
    list_filter = ("status", "kind")
    # decided on the accommodation's page, where rule AC2 is checked and the decision audited
    readonly_fields = (
        "candidate",
        "kind",
        "time_factor",
        "details",
        "requested_at",
        "status",
        "decided_at",
        "decided_by",
        "valid_from",
        "valid_until",
        "decision_note",
    )

    def has_add_permission(self, request: object) -> bool:
        return False
