"""Audit events for edits made in the Django admin.

Most models are read-only in the admin, because their changes go through services that audit
them. Where the program office may edit rows directly (the catalog: program rules, pass marks,
cohorts), ``AuditedModelAdmin`` records each added, changed and deleted row, inline rows
included, with the changed fields before and after. The user admin uses the mixin for the
privilege flags only (``audited_fields``); its roles go through ``accounts.services``. The
admin runs its save and delete views in a transaction, so the event commits or rolls back with
the edit."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from credence.audit.api import record


def field_values(obj: models.Model | None, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The row's concrete field values as JSON data (ids for foreign keys)."""
    if obj is None:
        return {}
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if only is None or field.name in only
    }
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _stored(obj: models.Model) -> models.Model | None:
    return type(obj)._base_manager.filter(pk=obj.pk).first() if obj.pk is not None else None


def _record_change(
    request: HttpRequest,
    obj: models.Model,
    before: dict[str, Any],
    verb: str,
    only: tuple[str, ...] | None = None,
) -> None:
    # read back as stored, so that 75 and 75.00 in a decimal column compare equal
    after = field_values(_stored(obj), only) if verb != "deleted" else {}
    if verb == "changed":
        keys = [key for key in after if before.get(key) != after[key]]
        if not keys:
            return
        before = {key: before.get(key) for key in keys}
        after = {key: after[key] for key in keys}
    record(
        action=f"admin.{verb}",
        subject=obj,
        actor=request.user,
        subject_user=obj if isinstance(obj, get_user_model()) else None,
        reason=f"{obj._meta.label_lower} {verb} in the admin",
        before=before or None,
        after=after or None,
    )


class AuditedAdminMixin:
    """For a ModelAdmin: record its saves and deletions. ``audited_fields`` limits the fields
    recorded (None: all), so that, say, a password hash never enters the trail."""

    audited_fields: tuple[str, ...] | None = None

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        only = self.audited_fields
        before = field_values(_stored(obj), only) if change else {}
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        _record_change(request, obj, before, "changed" if change else "added", only)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record_change(request, obj, field_values(obj, self.audited_fields), "deleted")
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            _record_change(request, obj, field_values(obj, self.audited_fields), "deleted")
        super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        # The inline forms already hold the new values; read the old ones from the database.
        # Deletions are recorded first: a deleted instance loses its primary key.
        before = {
            inline.instance.pk: field_values(_stored(inline.instance))
            for inline in formset.initial_forms
        }
        for inline in formset.deleted_forms:
            if inline.instance.pk is not None:
                _record_change(request, inline.instance, before[inline.instance.pk], "deleted")
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for obj in formset.new_objects:
            _record_change(request, obj, {}, "added")
        for obj, _fields in formset.changed_objects:
            _record_change(request, obj, before.get(obj.pk, {}), "changed")


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass
