"""What other apps call: the current items of a certification's bank, a form drawn from it by
the blueprint, the freeze of a version once a test form shows it, and an item as a page shows
it."""

from __future__ import annotations

from credence.items.content import ItemContent, ItemType
from credence.items.models import ItemVersion, KeyRuling, RulingKind
from credence.items.personal_data import erase_user_data, export_user_data
from credence.items.policy import (
    REKEYABLE,
    BankTooSmall,
    Blueprint,
    Form,
    bank_refusal,
    draw_form,
    may_draw_forms,
    may_rule,
)
from credence.items.scoring import check_answer, earned, prompts, ruled
from credence.items.selectors import (
    BlueprintMissing,
    bank_for_drawing,
    blueprint_for,
    current_versions,
    drawable_per_topic,
    ruling_of,
    scoring_contents,
    versions_by_id,
)
from credence.items.services import BankRefused, item_version_mark_used, key_rule
from credence.items.shown import ShownItem, item_as_shown
from credence.items.statistics import ItemStats, Observation, cronbach_alpha, item_statistics

__all__ = [
    "REKEYABLE",
    "BankRefused",
    "BankTooSmall",
    "Blueprint",
    "BlueprintMissing",
    "Form",
    "ItemContent",
    "ItemStats",
    "ItemType",
    "ItemVersion",
    "KeyRuling",
    "Observation",
    "RulingKind",
    "ShownItem",
    "bank_for_drawing",
    "bank_refusal",
    "blueprint_for",
    "check_answer",
    "cronbach_alpha",
    "current_versions",
    "draw_form",
    "drawable_per_topic",
    "earned",
    "erase_user_data",
    "export_user_data",
    "item_as_shown",
    "item_statistics",
    "item_version_mark_used",
    "key_rule",
    "may_draw_forms",
    "may_rule",
    "prompts",
    "ruled",
    "ruling_of",
    "scoring_contents",
    "versions_by_id",
]
