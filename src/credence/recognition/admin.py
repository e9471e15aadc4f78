from __future__ import annotations

from django.contrib import admin

from credence.recognition.models import (
    Claim,
    ClaimEvidence,
    GuidancePage,
    GuideEntry,
    SignalCategoryNote,
)


@admin.register(GuideEntry)
class GuideEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "category", "signal_quality", "position"]
    list_filter = ["category", "provider"]
    search_fields = ["name", "provider"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "provider", "category", "cloud_platform", "position"]}),
        (
            "What it proves",
            {"fields": ["proves", "does_not_prove", "signal_to_hiring_managers"]},
        ),
        (
            "When it is worth it",
            {
                "fields": ["worth_pursuing_if", "not_worth_it_if"],
                "description": 'Each line: {"text": …, "when": condition code or "", '
                '"against": false}. The advisor reads the condition codes.',
            },
        ),
        (
            "Kinds to avoid, and assessments",
            {
                "fields": [
                    "why_avoid",
                    "reality",
                    "exception",
                    "general_assessment",
                    "better_alternatives",
                ]
            },
        ),
        ("Practicalities", {"fields": ["prerequisites", "study_time", "cost"]}),
        (
            "Criteria",
            {
                "fields": [
                    "technical_depth",
                    "rigor",
                    "independence",
                    "industry_recognition",
                    "signal_quality",
                    "criteria_rationale",
                ]
            },
        ),
        # the texts above in other languages (signal_guide.<language>.json; decision 0037)
        ("Translations", {"fields": ["translations"]}),
    ]


@admin.register(GuidancePage)
class GuidancePageAdmin(admin.ModelAdmin):
    list_display = ["title", "position"]


@admin.register(SignalCategoryNote)
class SignalCategoryNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "category"]


# shown, and only shown: evidence is never edited here
_EVIDENCE_FIELDS = ("original_name", "kind", "size", "verification", "verification_detail")


class ClaimEvidenceInline(admin.TabularInline):
    model = ClaimEvidence
    extra = 0
    can_delete = False
    fields = _EVIDENCE_FIELDS
    readonly_fields = _EVIDENCE_FIELDS

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201 - Django's signature
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change state only through the staff queue's services (audit, mail)."""

    list_display = ["candidate", "certification_name", "status", "filed_at"]
    list_filter = ["status"]
    inlines = [ClaimEvidenceInline]

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
