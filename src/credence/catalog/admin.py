"""The program office edits the catalog here. The program file stays the source of truth:
``credence program load`` makes the rows match it again. Every edit is audited (pass marks,
program rules, ...) through ``AuditedModelAdmin``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from credence.audit.adminlog import AuditedModelAdmin
from credence.catalog.models import (
    Certification,
    Cohort,
    Evaluation,
    ExternalCertification,
    PassMark,
    Program,
    RecognitionRule,
    Topic,
)


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    fields = ["order", "code", "name"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "provider", "fee_per_evaluation", "currency", "updated_at"]
    # the bot patterns are checked by the program file's checker only: change them there
    readonly_fields = ["portfolio_bots", "issuer", "source_sha256", "created_at", "updated_at"]
    inlines = [EvaluationInline, CohortInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "provider", "contact_email", "time_zone", "currency"]}),
        (
            _("Rules"),
            {
                "fields": [
                    "fee_per_evaluation",
                    "wait_after_failure_months",
                    "max_attempts",
                    "validity_years",
                    "refund_threshold",
                    "default_pass_mark",
                    "recertification_window_months",
                    "reminder_days",
                    "appeal_window_days",
                    "challenge_window_days",
                ]
            },
        ),
        (
            _("Composite award"),
            {"fields": ["composite_code", "composite_name", "composite_min_electives"]},
        ),
        (_("Portfolio evidence report"), {"fields": ["portfolio_bots"]}),
        (_("Issuer of invoices"), {"fields": ["issuer"]}),
        # the program's and the composite award's names in other languages (decision 0037)
        (_("Translations"), {"fields": ["translations"]}),
        (_("Source"), {"fields": ["source_sha256", "created_at", "updated_at"]}),
    ]


class PassMarkInline(admin.TabularInline):
    model = PassMark
    extra = 0

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # offer only the evaluations of the certification's own program
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if db_field.name == "evaluation" and object_id:
            program = Certification.objects.filter(pk=object_id).values("program_id")
            kwargs["queryset"] = Evaluation.objects.filter(program_id__in=program)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Certification)
class CertificationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "program", "position"]
    list_filter = ["program", "kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["topics"]
    # structured, and checked by the program file's checker only: change them there and load it
    readonly_fields = ["rubric", "blueprint"]
    inlines = [PassMarkInline]


@admin.register(Topic)
class TopicAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "program"]
    list_filter = ["program"]
    search_fields = ["code", "name"]


@admin.register(Evaluation)
class EvaluationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "order", "program"]
    list_filter = ["program"]


@admin.register(PassMark)
class PassMarkAdmin(AuditedModelAdmin):
    list_display = ["certification", "evaluation", "mark"]
    list_filter = ["certification__program"]


@admin.register(Cohort)
class CohortAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "registered_from", "registered_until", "subsidy_share"]
    list_filter = ["program"]


class RecognitionRuleInline(admin.TabularInline):
    model = RecognitionRule
    extra = 0


@admin.register(ExternalCertification)
class ExternalCertificationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "provider", "signal_guide", "program"]
    list_filter = ["program"]
    inlines = [RecognitionRuleInline]


@admin.register(RecognitionRule)
class RecognitionRuleAdmin(AuditedModelAdmin):
    list_display = ["external", "certification", "evaluation"]
