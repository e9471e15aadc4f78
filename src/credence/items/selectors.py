"""Reads of the item bank."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from credence.catalog import api as catalog_api
from credence.catalog.models import Certification, Topic
from credence.items.content import ItemContent, ItemType
from credence.items.models import Item, ItemVersion, KeyRuling
from credence.items.policy import BankItem, Blueprint, is_drawable
from credence.items.scoring import ruled


def _newest() -> Subquery:
    return Subquery(
        ItemVersion.objects.filter(item=OuterRef("item"))
        .values("item")
        .annotate(top=Max("number"))
        .values("top")
    )


def current_versions(certification: Certification) -> QuerySet[ItemVersion]:
    """The newest version of every item of ``certification``'s bank that is not retired, by
    item name: what forms are drawn from and what an export writes."""
    return (
        ItemVersion.objects.filter(
            item__certification=certification, item__retired_at__isnull=True, number=_newest()
        )
        .select_related("item")
        .prefetch_related("topics")
        .order_by("item__name")
    )


@dataclass(frozen=True)
class BankRow:
    """An item as the bank's list shows it: its current version and how often it was used."""

    item: Item
    version: ItemVersion
    uses: int  # forms drawn with any of its versions


def bank_rows(
    *, certification: Certification | None = None, topic: str = "", text: str = ""
) -> list[BankRow]:
    """Every item, retired ones too, with its current version: of one certification, of a
    topic (of the current version), with every word of ``text`` in its name or question text;
    by certification and name."""
    versions = ItemVersion.objects.filter(number=_newest())
    if certification is not None:
        versions = versions.filter(item__certification=certification)
    if topic:
        # a subquery, not a join: a version with two topics must not be listed twice
        tagged = ItemVersion.topics.through.objects.filter(topic__code=topic)
        versions = versions.filter(pk__in=tagged.values("itemversion_id"))
    for word in text.split():
        versions = versions.filter(Q(item__name__icontains=word) | Q(content__stem__icontains=word))
    uses = (
        ItemVersion.objects.filter(item=OuterRef("item"))
        .values("item")
        .annotate(total=Sum("use_count"))
        .values("total")
    )
    versions = (
        versions.select_related("item__certification")
        .prefetch_related("topics")
        .annotate(uses=Subquery(uses))
        .order_by("item__certification__position", "item__name")
    )
    return [BankRow(v.item, v, v.uses or 0) for v in versions]


def bank_topics(certification: Certification | None) -> QuerySet[Topic]:
    """The topics to search by: the certification's, or every topic of the program."""
    topics = Topic.objects.all() if certification is None else certification.topics.all()
    return topics.order_by("position", "code")


def item_versions(item: Item) -> QuerySet[ItemVersion]:
    """An item's versions, newest first, with who saved them and the decision on a challenge
    of them (C2)."""
    versions = item.versions.select_related("created_by", "ruling").prefetch_related("topics")
    return versions.order_by("-number")


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
    """The certification's blueprint in the program in force (``[certifications.blueprint]``
    as loaded into the catalog). A sitting keeps what its form was drawn under: the form
    itself and its time limit."""
    try:
        spec = catalog_api.program_rules().certification(certification).blueprint
    except KeyError:
        spec = None
    if spec is None:
        raise BlueprintMissing(
            _("The program file has no test blueprint for %(code)s.") % {"code": certification}
        )
    return Blueprint.of(spec)


def versions_by_id(ids: list[int]) -> dict[int, ItemVersion]:
    # unordered: the model's ordering (by item, so by certification and name) costs two joins
    return {v.pk: v for v in ItemVersion.objects.filter(pk__in=ids).order_by()}


def scoring_contents(ids: list[int]) -> dict[int, ItemContent | None]:
    """The versions' contents as they score, each under its challenge decision if it has one
    (C2, decision 0053): None for a dropped item."""
    contents: dict[int, ItemContent | None] = {}
    for version in ItemVersion.objects.filter(pk__in=ids).select_related("ruling").order_by():
        ruling = getattr(version, "ruling", None)
        content = version.item_content
        contents[version.pk] = (
            content if ruling is None else ruled(content, ruling.kind, ruling.key)
        )
    return contents


def ruling_of(version_id: int) -> KeyRuling | None:
    return KeyRuling.objects.filter(version_id=version_id).first()
