"""Writes to the item bank. Saving an item whose current version was used in a test adds a
new version; an unused version is corrected in place. An import is all or nothing. Retiring an
item keeps it out of new forms; reinstating it brings it back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.audit.api import record, recorded_together
from credence.catalog.models import Certification, Topic
from credence.core.decisions import Refused
from credence.items.content import ItemContent, ItemFileError, ParsedItem, Problem
from credence.items.models import Item, ItemVersion, KeyRuling
from credence.items.policy import may_reinstate, may_retire, may_rule
from credence.items.selectors import SaveStatus as SaveStatus  # the saves' results name it
from credence.items.selectors import (
    current_version_by_item,
    item_problems,
    items_check,
    save_status,
    topics_by_code,
)


@dataclass(frozen=True)
class SaveResult:
    item: Item
    version: ItemVersion
    status: SaveStatus


def _locked(certification: Certification, names: Sequence[str]) -> dict[str, Item]:
    """The items of ``certification`` named ``names`` that exist, locked for the save: one
    query for a whole import instead of one per item."""
    return {
        item.name: item
        for item in Item.objects.select_for_update().filter(
            certification=certification, name__in=names
        )
    }


def _save_all(
    *,
    certification: Certification,
    topics: Mapping[str, Topic],
    contents: Sequence[ItemContent],
    acting_user: User | None,
) -> list[SaveResult]:
    """Save each of ``contents`` (checked, names unique) as the item of its name, or a new
    item. New items and versions are written in bulk, a few statements for a whole file: one
    by one, the shipped bank's 780 items took about 4,700."""
    existing = _locked(certification, [content.label for content in contents])
    currents = current_version_by_item(existing.values())
    new_items = {
        item.name: item
        for item in Item.objects.bulk_create(
            Item(certification=certification, name=content.label)
            for content in contents
            if content.label not in existing
        )
    }
    author = acting_user if getattr(acting_user, "pk", None) else None
    results: dict[str, SaveResult] = {}
    saves: list[tuple[ItemContent, SaveResult, dict[str, Any] | None]] = []
    for content in contents:
        item = existing.get(content.label)
        current = currents.get(item.pk) if item else None
        data = content.to_json()
        status = save_status(item, current, data)
        if item is not None and current is not None and status == SaveStatus.UNCHANGED:
            results[content.label] = SaveResult(item, current, status)
            continue
        item = item or new_items[content.label]
        if current is not None and status == SaveStatus.UPDATED:
            version = current
        else:
            version = ItemVersion(item=item, number=(current.number + 1) if current else 1)
        version.type, version.content, version.created_by = content.type, data, author
        before = current.content if current is not None else None
        saves.append((content, SaveResult(item, version, status), before))
    corrected = [save.version for _, save, _ in saves if save.status == SaveStatus.UPDATED]
    ItemVersion.objects.bulk_create(
        save.version for _, save, _ in saves if save.status != SaveStatus.UPDATED
    )
    for version in corrected:
        version.save()
    links = ItemVersion.topics.through
    links.objects.filter(itemversion__in=corrected).delete()
    links.objects.bulk_create(
        links(itemversion=save.version, topic=topics[code])
        for content, save, _ in saves
        for code in dict.fromkeys(content.tags)
    )
    with recorded_together():
        for content, save, before in saves:
            record(
                action=f"item.{save.status}",
                subject=save.version,
                actor=acting_user,
                before=before,
                after=save.version.content,
            )
            results[content.label] = save
    return [results[content.label] for content in contents]


@transaction.atomic
def item_save(
    *, certification: Certification, content: ItemContent, acting_user: User
) -> SaveResult:
    """Create or edit the item named ``content.label``; ``ItemFileError`` (line 0) if the
    content is unusable."""
    topics = topics_by_code(certification)
    problems = item_problems(certification, topics, content)
    if problems:
        raise ItemFileError([Problem(0, message) for message in problems])
    (result,) = _save_all(
        certification=certification, topics=topics, contents=[content], acting_user=acting_user
    )
    return result


@transaction.atomic
def items_import(
    *, certification: Certification, items: Sequence[ParsedItem], acting_user: User | None
) -> list[SaveResult]:
    """Save every item of a parsed file, or none: ``ItemFileError`` with every problem."""
    items_check(certification=certification, items=items)
    return _save_all(
        certification=certification,
        topics=topics_by_code(certification),
        contents=[parsed.content for parsed in items],
        acting_user=acting_user,
    )


@transaction.atomic
def item_version_mark_used(*, version: ItemVersion, now: datetime) -> None:
    """A test form shows ``version`` to a candidate (called once per form drawn): count the
    use, and freeze the version at its first use; later edits of the item add a new
    version."""
    ItemVersion.objects.filter(pk=version.pk).update(use_count=models.F("use_count") + 1)
    ItemVersion.objects.filter(pk=version.pk, first_used_at__isnull=True).update(first_used_at=now)


class BankRefused(Exception):
    """A bank change the rules refuse (items.policy); ``decision`` says which and why."""

    def __init__(self, decision: Refused) -> None:
        super().__init__(decision.reason)
        self.decision = decision


@transaction.atomic
def item_retire(*, item: Item, acting_user: User, now: datetime) -> Item:
    """Take ``item`` out of every form drawn from now on. Forms drawn before keep it, and its
    versions stay for the attempts that saw them."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    decision = may_retire(retired=item.retired)
    if isinstance(decision, Refused):
        raise BankRefused(decision)
    item.retired_at = now
    item.save(update_fields=["retired_at"])
    record(
        action="item.retired",
        subject=item,
        actor=acting_user,
        before={"retired_at": None},
        after={"retired_at": now.isoformat()},
    )
    return item


@transaction.atomic
def item_reinstate(*, item: Item, acting_user: User) -> Item:
    """Put a retired ``item`` back into the bank that forms are drawn from."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    decision = may_reinstate(retired=item.retired)
    if isinstance(decision, Refused):
        raise BankRefused(decision)
    before = item.retired_at
    item.retired_at = None
    item.save(update_fields=["retired_at"])
    record(
        action="item.reinstated",
        subject=item,
        actor=acting_user,
        before={"retired_at": before.isoformat() if before else None},
        after={"retired_at": None},
    )
    return item


@transaction.atomic
def key_rule(
    *,
    version_id: int,
    kind: str,
    key: Sequence[int],
    reasons: str,
    acting_user: User,
    now: datetime,
) -> KeyRuling:
    """Decide a challenged item version (C2): keep, rekey, accept several answers or drop;
    once. A dropped item is also retired, so that no new form draws it. The caller rescores
    the released sittings that showed it in the same transaction and records the decision
    with them in one audit event (decision 0053)."""
    # the version's row lock: two decisions on one item, one after the other
    version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version_id)
    if KeyRuling.objects.filter(version=version).exists():
        raise BankRefused(
            Refused(rule="C2", reason=_("This item has been decided already."), never=True)
        )
    content = version.item_content
    decision = may_rule(kind, list(key), str(content.type), len(content.choices))
    if isinstance(decision, Refused):
        raise BankRefused(decision)
    if not reasons.strip():
        raise BankRefused(Refused(rule="C2", reason=_("Say why you decide so.")))
    ruling = KeyRuling.objects.create(
        version=version,
        kind=kind,
        key=sorted(key),
        reasons=reasons.strip()[:5000],
        decided_at=now,
        decided_by=acting_user,
    )
    if kind == "drop" and not version.item.retired:
        item_retire(item=version.item, acting_user=acting_user, now=now)
    return ruling
