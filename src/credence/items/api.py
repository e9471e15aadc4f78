"""What other apps call: the current items of a certification's bank, a form drawn from it by
the blueprint, and the freeze of a version once a test form shows it."""

from __future__ import annotations

from credence.items.content import ItemContent, ItemType
from credence.items.models import ItemVersion
from credence.items.personal_data import erase_user_data, export_user_data
from credence.items.policy import (
    BankTooSmall,
    Blueprint,
    Form,
    bank_refusal,
    draw_form,
    may_draw_forms,
)
from credence.items.scoring import check_answer, earned
from credence.items.selectors import (
    BlueprintMissing,
    bank_for_drawing,
    blueprint_for,
    current_versions,
    drawable_per_topic,
    versions_by_id,
)
from credence.items.services import item_version_mark_used
from credence.items.statistics import ItemStats, Observation, item_statistics

__all__ = [
    "BankTooSmall",
    "Blueprint",
    "BlueprintMissing",
    "Form",
    "ItemContent",
    "ItemStats",
    "ItemType",
    "ItemVersion",
    "Observation",
    "bank_for_drawing",
    "bank_refusal",
    "blueprint_for",
    "check_answer",
    "current_versions",
    "draw_form",
    "drawable_per_topic",
    "earned",
    "erase_user_data",
    "export_user_data",
    "item_statistics",
    "item_version_mark_used",
    "may_draw_forms",
    "versions_by_id",
]
