"""Read-only admin views of portfolio records; every change goes through the services (and
their audit events) in the portfolio pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from credence.portfolios.models import ExaminerAssignment, InterviewSlot, RubricScore, Submission


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(_ReadOnly):
    list_display = ["candidate", "certification", "url", "commit", "status", "submitted_at"]
    list_filter = ["status", "certification"]
    search_fields = ["candidate__email", "url", "commit"]


@admin.register(ExaminerAssignment)
class ExaminerAssignmentAdmin(_ReadOnly):
    list_display = ["submission", "examiner", "assigned_at"]


@admin.register(InterviewSlot)
class InterviewSlotAdmin(_ReadOnly):
    list_display = ["submission", "starts_at", "minutes", "location"]


@admin.register(RubricScore)
class RubricScoreAdmin(_ReadOnly):
    list_display = ["submission", "examiner", "percent", "scored_at"]
