"""The item bank's part of the data-protection rights: the item versions an author saved.
The items stay (tests were scored against them); the link to the author is removed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.items.models import ItemVersion


def export_user_data(user: Any) -> Export:
    # Which versions they saved, not the content: the item bank is the program's secret.
    return {
        label(ItemVersion): rows(ItemVersion.objects.filter(created_by=user), exclude=("content",))
    }


def erase_user_data(user: Any, *, now: datetime) -> ErasureSummary:
    unlinked = ItemVersion.objects.filter(created_by=user).update(created_by=None)
    return {label(ItemVersion): f"author link removed from {unlinked}"}
