from django.contrib import admin

from credence.appeals.models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("attempt", "candidate", "outcome", "filed_at", "decided_at")
    list_filter = ("outcome",)
    # decided through the appeals pages, where rule A2 is checked and the decision audited
    readonly_fields = (
        "attempt",
        "candidate",
        "reasons",
        "filed_at",
        "reviewer",
        "assigned_at",
        "outcome",
        "decision",
        "decided_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False
