"""Shared helpers for the data-protection rights (docs/data-protection.md): each app's
``api.export_user_data`` turns its rows into plain data with ``rows``; the privacy app
collects the sections into one export and calls each app's ``erase_user_data`` in turn.

An app's export is ``{model label: [row, ...]}``; its erasure summary is ``{model label:
what happened}``. The labels are how the completeness test (privacy/tests/test_registry.py)
checks that every model annotated ``.. pii:`` is covered by an export and an erasure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

Export = dict[str, list[dict[str, Any]]]
ErasureSummary = dict[str, str]
# Files that go into the export's ZIP beside data.json: (path inside the ZIP, bytes).
ExportFile = tuple[str, bytes]


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def row(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every concrete column of one row, foreign keys as ids (``candidate_id``)."""
    skipped = set(exclude)
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in skipped and field.attname not in skipped
    }


def rows(queryset: models.QuerySet, *, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    skipped = tuple(exclude)
    return [row(instance, exclude=skipped) for instance in queryset.order_by("pk")]
