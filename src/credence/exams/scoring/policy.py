"""The score of a knowledge test, over plain data: the percent of the form's marks earned,
each item weighing the same, with the same per topic of the blueprint (R4 compares the
percent with the pass mark)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from credence.items import api as items_api

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemOutcome:
    topic: str
    share: Decimal | None  # 0..1; None for an essay an author has not marked yet
    version: int | None = None  # the item version scored (equating names it)


@dataclass(frozen=True)
class Answered:
    """A candidate's response to the item at one position of the form."""

    answer: Any
    marked_share: Decimal | None  # an author's mark, for an essay


def item_outcomes(
    form: Sequence[Mapping[str, Any]],
    contents: Mapping[int, items_api.ItemContent | None],
    answered: Mapping[int, Answered],
) -> list[ItemOutcome]:
    """Each item of ``form`` (the sitting's entries) with the share of its marks earned:
    ``contents`` by item version id, ``answered`` by position. An essay's share is its mark;
    an item left unanswered earns nothing; a dropped item (content None, rule C2) is left
    out: it counts neither in the marks nor in the number of items."""
    outcomes = []
    for position, entry in enumerate(form):
        content = contents[entry["version"]]
        if content is None:
            continue
        response = answered.get(position)
        answer = response.answer if response else None
        if content.type == items_api.ItemType.ESSAY and response is not None and answer is not None:
            share = response.marked_share
        else:
            share = items_api.earned(content, answer) or Decimal(0)
        outcomes.append(ItemOutcome(entry["topic"], share, entry["version"]))
    return outcomes


@dataclass(frozen=True)
class Score:
    percent: Decimal
    by_topic: Mapping[str, Decimal]
    unmarked: int  # essays still to be marked: no release before they are


def _percent(shares: Sequence[Decimal]) -> Decimal:
    if not shares:
        return Decimal(0).quantize(CENT)
    return (sum(shares, Decimal(0)) * HUNDRED / len(shares)).quantize(CENT, ROUND_HALF_UP)


def score(outcomes: Sequence[ItemOutcome]) -> Score:
    shares = [o.share or Decimal(0) for o in outcomes]
    topics = list(dict.fromkeys(o.topic for o in outcomes))
    return Score(
        percent=_percent(shares),
        by_topic=MappingProxyType(
            {
                topic: _percent([o.share or Decimal(0) for o in outcomes if o.topic == topic])
                for topic in topics
            }
        ),
        unmarked=sum(1 for o in outcomes if o.share is None),
    )
