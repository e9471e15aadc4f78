from django.contrib import admin

from credence.challenges.models import Challenge


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("version", "candidate", "outcome", "filed_at", "decided_at")
    list_filter = ("outcome",)
    # decided on the challenge decision page, where rule C2 is checked, results are
    # rescored and the decision audited
    readonly_fields = (
        "sitting",
        "position",
        "version",
        "candidate",
        "reasons",
        "filed_at",
        "outcome",
        "decided_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False
