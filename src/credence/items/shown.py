"""An item as a page shows it: the candidate's test page (the exams app, in the candidate's
option order) and the item bank's preview for an author (in the item's own order). Text and
options only, never keys, correct flags or fractions; templates/exams/_item.html renders
both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credence.items.content import ItemContent, ItemType
from credence.items.scoring import prompts


@dataclass(frozen=True)
class ShownOption:
    index: int  # the option's index in the item's own list: what an answer refers to
    text: str


@dataclass(frozen=True)
class ShownItem:
    """One item as the candidate's page shows it: text and options in the candidate's order,
    nothing that tells right from wrong."""

    position: int
    type: str
    stem: str
    options: list[ShownOption]
    prompts: list[ShownOption]  # matching: what is to be matched
    answer: Any
    flagged: bool
    saved_at: datetime | None = None  # when the answer (or flag) shown was last saved


def item_as_shown(
    content: ItemContent,
    *,
    option_order: Sequence[int],
    position: int = 0,
    answer: Any = None,
    flagged: bool = False,
    saved_at: datetime | None = None,
) -> ShownItem:
    """``content`` as the test page shows it, options in ``option_order``: also what the item
    bank's preview shows an author (templates/exams/_item.html renders both)."""
    if content.type == ItemType.MATCHING:
        options = [ShownOption(i, content.pairs[i].answer) for i in option_order]
        asked = [ShownOption(i, content.pairs[i].prompt) for i in prompts(content)]
    else:
        options = [ShownOption(i, content.choices[i].text) for i in option_order]
        if content.type == ItemType.SHORT_ANSWER:
            options = []  # the accepted answers are the key
        asked = []
    return ShownItem(
        position=position,
        type=str(content.type),
        stem=content.stem,
        options=options,
        prompts=asked,
        answer=answer,
        flagged=flagged,
        saved_at=saved_at,
    )
