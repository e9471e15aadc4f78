"""Reads of the item bank."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from credence.catalog.models import Certification
from credence.catalog.programfile import check_program_file
from credence.items.content import ItemContent, ItemType
from credence.items.models import ItemVersion
from credence.items.policy import BankItem, Blueprint, is_drawable


def current_versions(certification: Certification) -> QuerySet[ItemVersion]:
    """The newest version of every item of ``certification``'s bank, by item name."""
    newest = (
        ItemVersion.objects.filter(item=OuterRef("item"))
        .values("item")
        .annotate(top=Max("number"))
        .values("top")
    )
    return (
        ItemVersion.objects.filter(item__certification=certification, number=Subquery(newest))
        .select_related("item")
        .prefetch_related("topics")
        .order_by("item__name")
    )


def bank_contents(certification: Certification) -> list[ItemContent]:
    """What an export writes: the current content of every item, by category then name."""
    contents = [version.item_content for version in current_versions(certification)]
    return sorted(contents, key=lambda c: (c.category, c.label))


def bank_for_drawing(certification: Certification) -> list[BankItem]:
    """The current versions as ``policy.draw_form`` needs them."""
    bank = []
    for version in current_versions(certification):
        content = version.item_content
        options = len(content.pairs) if content.type == ItemType.MATCHING else len(content.choices)
        bank.append(
            BankItem(
                item_id=version.item_id,
                version_id=version.pk,
                type=ItemType(content.type),
                topics=tuple(t.code for t in version.topics.all()),
                options=options,
            )
        )
    return bank


def drawable_per_topic(certification: Certification) -> dict[str, int]:
    """How many items of each topic a form can be drawn from (what ``policy.may_draw_forms``
    weighs against the blueprint): the bank as ``bank_for_drawing`` gives it, without what
    ``policy.is_drawable`` leaves out. An item with several topics counts for each."""
    counts: Counter[str] = Counter()
    for item in bank_for_drawing(certification):
        if is_drawable(item):
            counts.update(item.topics)
    return dict(counts)


class BlueprintMissing(LookupError):
    pass


def blueprint_for(certification: str) -> Blueprint:
    """``[certifications.blueprint]`` of the program file (as the portfolios app reads its
    rubric from the same file)."""
    parsed = check_program_file(settings.CREDENCE_DEFAULT_PROGRAM)
    entry = next((c for c in parsed.certifications if c.code == certification), None)
    if entry is None or entry.blueprint is None:
        raise BlueprintMissing(
            _("The program file has no test blueprint for %(code)s.") % {"code": certification}
        )
    return Blueprint.of(entry.blueprint)


def versions_by_id(ids: list[int]) -> dict[int, ItemVersion]:
    return {v.pk: v for v in ItemVersion.objects.filter(pk__in=ids)}
