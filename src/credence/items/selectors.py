"""Reads of the item bank, and an import's reads: checking a file's items against the bank
(``items_check``) and its dry run (``items_plan``), which say what ``services.items_import``
would refuse or do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credence.catalog import api as catalog_api
from credence.catalog.models import Certification, Topic
from credence.items.content import (
    ItemContent,
    ItemFileError,
    ItemType,
    ParsedItem,
    Problem,
    check_item,
)
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


# a CharField always has its limit; Django's types allow none for every field
NAME_LENGTH = cast(int, Item._meta.get_field("name").max_length)


class SaveStatus(models.TextChoices):
    CREATED = "created", gettext_lazy("created")
    UPDATED = "updated", gettext_lazy("updated (version not used yet)")
    NEW_VERSION = "new_version", gettext_lazy("new version (the old one was used)")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")


def topics_by_code(certification: Certification) -> dict[str, Topic]:
    return {topic.code: topic for topic in certification.topics.all()}


def item_problems(
    certification: Certification, topics: Mapping[str, Topic], content: ItemContent
) -> list[str]:
    """What keeps ``content`` out of ``certification``'s bank: its own problems, tags that are
    not the certification's topics, a name too long."""
    problems = check_item(content)
    problems.extend(
        _("“%(tag)s” is not a topic of %(certification)s; its topics: %(topics)s.")
        % {"tag": tag, "certification": certification.code, "topics": ", ".join(sorted(topics))}
        for tag in content.tags
        if tag not in topics
    )
    if len(content.label) > NAME_LENGTH:
        problems.append(_("The name is longer than %(n)d characters.") % {"n": NAME_LENGTH})
    return problems


def items_check(*, certification: Certification, items: Sequence[ParsedItem]) -> None:
    """Raise ``ItemFileError`` with every problem of ``items`` as a bank of ``certification``:
    those of each item, tags that are not the certification's topics, names used twice."""
    topics = topics_by_code(certification)
    problems = [
        Problem(parsed.line, message)
        for parsed in items
        for message in item_problems(certification, topics, parsed.content)
    ]
    names = Counter(parsed.content.label for parsed in items)
    problems.extend(
        Problem(
            parsed.line, _("Another item in this file has the name “%(name)s”.") % {"name": name}
        )
        for parsed in items
        if names[name := parsed.content.label] > 1
    )
    if problems:
        raise ItemFileError(problems)


def save_status(item: Item | None, current: ItemVersion | None, data: dict[str, Any]) -> SaveStatus:
    """What saving ``data`` does to the item: the one place that decides it, for a save and
    for an import's dry run."""
    if item is None:
        return SaveStatus.CREATED
    if current is not None and current.content == data:
        return SaveStatus.UNCHANGED
    if current is not None and current.first_used_at is None:
        return SaveStatus.UPDATED
    return SaveStatus.NEW_VERSION


def current_version_by_item(items: Iterable[Item]) -> dict[int, ItemVersion]:
    """The current (highest-numbered) version of each of ``items``, by item: one query."""
    versions = ItemVersion.objects.filter(item__in=list(items)).order_by("item_id", "number")
    return {version.item_id: version for version in versions}  # the highest number comes last


@dataclass(frozen=True)
class PlannedSave:
    """What importing one item of a file would do: the dry run's line of the report."""

    parsed: ParsedItem
    status: SaveStatus
    retired: bool  # the item exists and is retired: the import edits it, it stays retired


def items_plan(*, certification: Certification, items: Sequence[ParsedItem]) -> list[PlannedSave]:
    """A dry run of ``items_import``: ``ItemFileError`` with every problem, else what each item
    would become. Changes nothing."""
    items_check(certification=certification, items=items)
    existing = {
        item.name: item
        for item in Item.objects.filter(
            certification=certification, name__in=[p.content.label for p in items]
        )
    }
    currents = current_version_by_item(existing.values())
    plans = []
    for parsed in items:
        item = existing.get(parsed.content.label)
        current = currents.get(item.pk) if item else None
        plans.append(
            PlannedSave(
                parsed,
                save_status(item, current, parsed.content.to_json()),
                bool(item and item.retired),
            )
        )
    return plans
