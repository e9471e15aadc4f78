from __future__ import annotations

from django.contrib import admin

from credence.learning.models import PathPlan, PreparationResource, SuggestedProject


@admin.register(PreparationResource)
class PreparationResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "access", "starts_on", "place", "published"]
    list_filter = ["kind", "access", "published", "certifications"]
    search_fields = ["title", "provider", "description"]
    filter_horizontal = ["certifications", "topics"]
    date_hierarchy = "starts_on"


@admin.register(SuggestedProject)
class SuggestedProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "certification", "position", "published", "from_program_file"]
    list_filter = ["certification", "published"]
    search_fields = ["title", "description"]
    readonly_fields = ["from_program_file"]


@admin.register(PathPlan)
class PathPlanAdmin(admin.ModelAdmin):
    """Read-only: candidates choose their electives in the planner."""

    list_display = ["candidate", "updated_at"]

    def has_add_permission(self, request):  # noqa: ANN001, ANN201 - Django's signature
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False
