"""Drawing a candidate's knowledge-test form from the bank by the certification's blueprint,
as pure rules over plain data.

Per topic the blueprint asks for a number of items. Items the candidate saw in an earlier
attempt are drawn only when the unseen items of that topic run out; option order is shuffled
per candidate (true/false keeps its order). The draw is reproducible from its ``seed`` (for
example the attempt's id), so that a form can be audited and re-created.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused
from credence.items.content import ItemType


@dataclass(frozen=True)
class Blueprint:
    """``[certifications.blueprint]`` of the program in force."""

    time_limit_minutes: int
    items_per_topic: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    release: str = "staff"  # or "automatic": released when a test without essays is submitted

    @property
    def length(self) -> int:
        return sum(self.items_per_topic.values())

    @classmethod
    def of(cls, section: Any) -> Blueprint:
        """From the catalog's ``BlueprintSpec`` (or the program file's table, which has the
        same attributes)."""
        return cls(
            time_limit_minutes=section.time_limit_minutes,
            items_per_topic=MappingProxyType(dict(section.items_per_topic)),
            release=section.release,
        )


@dataclass(frozen=True)
class BankItem:
    """What drawing needs to know of an item's current version."""

    item_id: int
    version_id: int
    type: ItemType
    topics: tuple[str, ...]
    options: int  # choices, or a matching item's answers: what gets shuffled


@dataclass(frozen=True)
class FormItem:
    item_id: int
    version_id: int
    topic: str
    option_order: tuple[int, ...]  # positions in the item's own option list, as shown


@dataclass(frozen=True)
class Form:
    items: tuple[FormItem, ...]
    reused: int  # items seen in an earlier attempt, because the bank had too few unseen


def shortfall_sentence(
    shortfalls: Mapping[str, tuple[int, int]], topic_names: Mapping[str, str] | None = None
) -> str:
    """What the bank lacks, topic by topic (topic -> (needed, available)), as in
    "Supervised learning: 20 items needed, 0 in the bank"; a topic is named by
    ``topic_names`` (code -> name) where it has a name there, by its code otherwise."""
    names = topic_names or {}
    return "; ".join(
        _("%(topic)s: %(needed)d items needed, %(available)d in the bank")
        % {"topic": names.get(topic, topic), "needed": needed, "available": available}
        for topic, (needed, available) in shortfalls.items()
    )


class BankTooSmall(Exception):
    """The bank cannot fill the blueprint even with items the candidate has seen."""

    def __init__(self, shortfalls: Mapping[str, tuple[int, int]]) -> None:
        self.shortfalls = dict(shortfalls)  # topic -> (needed, available)
        super().__init__(shortfall_sentence(self.shortfalls))


def is_drawable(item: BankItem) -> bool:
    """Whether a form can show ``item`` as one of its questions (a description is never
    drawn: it scores nothing)."""
    return item.type != ItemType.DESCRIPTION


def bank_refusal(
    certification: str,
    shortfalls: Mapping[str, tuple[int, int]],
    topic_names: Mapping[str, str] | None = None,
) -> Refused:
    """The one sentence for a bank too small for the blueprint: the office reads it when it
    creates or publishes a session (``may_draw_forms``), the proctor at check-in."""
    return Refused(
        rule="R11",
        reason=_("The item bank of %(certification)s cannot fill a test form: %(missing)s.")
        % {"certification": certification, "missing": shortfall_sentence(shortfalls, topic_names)},
    )


def may_draw_forms(
    certification: str,
    blueprint: Blueprint,
    drawable: Mapping[str, int],
    topic_names: Mapping[str, str] | None = None,
) -> Decision:
    """R11: a session may hold ``certification``'s knowledge test only when its bank has, for
    every topic of the blueprint, as many drawable items (``drawable``: topic -> count) as a
    form asks for; checked before any candidate books, so that no check-in fails for it.

    An item tagged with several topics is counted for each of them here, while a form uses
    it for one only: a bank whose topics share items can pass this check and still come up
    short at check-in, which then says so in the same sentence."""
    shortfalls = {
        topic: (needed, drawable.get(topic, 0))
        for topic, needed in blueprint.items_per_topic.items()
        if drawable.get(topic, 0) < needed
    }
    if shortfalls:
        return bank_refusal(certification, shortfalls, topic_names)
    return Allowed(rule="R11")


def _option_order(item: BankItem, rng: random.Random) -> tuple[int, ...]:
    if item.type == ItemType.TRUE_FALSE:
        return tuple(range(item.options))
    return tuple(rng.sample(range(item.options), item.options))


def draw_form(
    blueprint: Blueprint,
    bank: Sequence[BankItem],
    *,
    seen_items: frozenset[int],
    seed: str,
) -> Form:
    """A form for one candidate; ``BankTooSmall`` if the blueprint cannot be filled. An item
    tagged with several topics counts for the first topic (in blueprint order) it is drawn
    for."""
    rng = random.Random(seed)
    # the bank's order must not matter, only the seed
    scored = sorted(filter(is_drawable, bank), key=lambda i: i.item_id)
    taken: set[int] = set()
    drawn: list[tuple[BankItem, str]] = []
    shortfalls: dict[str, tuple[int, int]] = {}
    reused = 0
    for topic, needed in blueprint.items_per_topic.items():
        pool = [i for i in scored if topic in i.topics and i.item_id not in taken]
        fresh = [i for i in pool if i.item_id not in seen_items]
        again = [i for i in pool if i.item_id in seen_items]
        rng.shuffle(fresh)
        rng.shuffle(again)
        chosen = (fresh + again)[:needed]
        if len(chosen) < needed:
            shortfalls[topic] = (needed, len(pool))
        reused += sum(1 for i in chosen if i.item_id in seen_items)
        taken.update(i.item_id for i in chosen)
        drawn.extend((i, topic) for i in chosen)
    if shortfalls:
        raise BankTooSmall(shortfalls)
    rng.shuffle(drawn)
    return Form(
        items=tuple(
            FormItem(item.item_id, item.version_id, topic, _option_order(item, rng))
            for item, topic in drawn
        ),
        reused=reused,
    )


#: The rule a bank refusal names (decision 0012): the bank's own, not one of R1-R12.
BANK_RULE = "bank"


def may_retire(*, retired: bool) -> Decision:
    """An item in the bank may be retired; retiring it twice says so instead of moving the
    date of the first retirement."""
    if retired:
        return Refused(BANK_RULE, _("This item is retired already."), never=True)
    return Allowed()


def may_reinstate(*, retired: bool) -> Decision:
    if not retired:
        return Refused(BANK_RULE, _("This item is not retired."), never=True)
    return Allowed()


# --- challenged items (rule C2, decision 0053) ------------------------------------------

# A rekey or several accepted answers name options; only items with one right option have
# a key that a list of options can replace. Any scored item may be kept or dropped.
REKEYABLE = frozenset({ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE})


def may_rule(kind: str, key: Sequence[int], item_type: str, options: int) -> Decision:
    """C2: the decision fits the item: a rekey names one option, several accepted answers at
    least two, each an option of the item; keep and drop name none."""
    if kind in ("keep", "drop"):
        if key:
            return Refused(rule="C2", reason=_("Keeping or dropping an item names no option."))
        return Allowed(rule="C2")
    if kind not in ("rekey", "accept"):
        return Refused(rule="C2", reason=_("Keep, rekey, accept several answers or drop."))
    if item_type not in REKEYABLE:
        return Refused(
            rule="C2",
            reason=_("Only single-choice and true/false items can be rekeyed; keep or drop it."),
        )
    if len(set(key)) != len(key) or not all(0 <= i < options for i in key):
        return Refused(rule="C2", reason=_("Name options of this item, each once."))
    if kind == "rekey" and len(key) != 1:
        return Refused(rule="C2", reason=_("A rekey names the one right option."))
    if kind == "accept" and len(key) < 2:
        return Refused(rule="C2", reason=_("Accepting several answers names at least two."))
    return Allowed(rule="C2")
