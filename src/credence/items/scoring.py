"""Answers to items: their shape, and the share of an item's marks they earn. Pure.

An answer refers to options by their index in the item's own lists (never in the shuffled
order a candidate saw), so that scoring does not depend on the form:

- single choice, true/false: ``{"choice": i}``; multiple choice: ``{"choices": [i, ...]}``
- short answer, essay: ``{"text": "..."}``; numeric: ``{"value": "3.14"}``
- matching: ``{"matches": {"prompt index": answer index, ...}}``
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from credence.items.content import FULL, MAX_EXPONENT, NONE, ItemContent, ItemType

MAX_SHORT = 500
MAX_ESSAY = 50_000


def prompts(content: ItemContent) -> list[int]:
    """Indexes of a matching item's pairs that ask something (the rest are distractors)."""
    return [i for i, pair in enumerate(content.pairs) if pair.prompt]


def _index(value: Any, size: int) -> bool:
    return type(value) is int and 0 <= value < size


def check_answer(content: ItemContent, answer: Any) -> str | None:
    """Why ``answer`` cannot be an answer to ``content``, or None if it can. ``None`` (no
    answer) always can: a candidate may clear an answer."""
    if answer is None:
        return None
    if not isinstance(answer, dict):
        return _("An answer must be an object.")
    kind = content.type
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        ok = set(answer) == {"choice"} and _index(answer["choice"], len(content.choices))
    elif kind == ItemType.MULTIPLE_CHOICE:
        chosen = answer.get("choices")
        ok = (
            set(answer) == {"choices"}
            and isinstance(chosen, list)
            and all(_index(c, len(content.choices)) for c in chosen)
            and len(set(chosen)) == len(chosen)
        )
    elif kind in (ItemType.SHORT_ANSWER, ItemType.ESSAY):
        limit = MAX_ESSAY if kind == ItemType.ESSAY else MAX_SHORT
        text = answer.get("text")
        ok = set(answer) == {"text"} and isinstance(text, str) and len(text) <= limit
    elif kind == ItemType.NUMERIC:
        ok = set(answer) == {"value"} and _number(answer.get("value")) is not None
    elif kind == ItemType.MATCHING:
        matches = answer.get("matches")
        asked = {str(i) for i in prompts(content)}
        ok = (
            set(answer) == {"matches"}
            and isinstance(matches, dict)
            and set(matches) <= asked
            and all(_index(v, len(content.pairs)) for v in matches.values())
        )
    else:
        ok = False
    return None if ok else _("This is not an answer to this item.")


def _number(value: Any) -> Decimal | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    # "1e999999999" is finite but overflows the arithmetic of scoring; no answer is that big.
    if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        return None
    return number


def _pattern(text: str, case_sensitive: bool) -> re.Pattern[str]:
    # Moodle's short answers: * matches any run of characters, everything else is literal
    body = ".*".join(re.escape(" ".join(part.split())) for part in text.split("*"))
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE)


def earned(content: ItemContent, answer: Any) -> Decimal | None:
    """The share (0..1) of the item's marks ``answer`` earns; None for an essay, which an
    author marks. No answer earns nothing; negative weights never take an item below 0."""
    if content.type == ItemType.ESSAY:
        return None
    if answer is None or check_answer(content, answer) is not None:
        return NONE
    kind = content.type
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        share = content.choices[answer["choice"]].fraction
    elif kind == ItemType.MULTIPLE_CHOICE:
        share = sum((content.choices[i].fraction for i in answer["choices"]), NONE)
    elif kind == ItemType.SHORT_ANSWER:
        given = " ".join(answer["text"].split())
        share = max(
            (
                c.fraction
                for c in content.choices
                if _pattern(c.text, content.case_sensitive).fullmatch(given)
            ),
            default=NONE,
        )
    elif kind == ItemType.NUMERIC:
        value = _number(answer["value"])
        assert value is not None  # check_answer said so
        share = max(
            (
                n.fraction
                for n in content.numeric
                if n.value is None or abs(value - n.value) <= n.tolerance
            ),
            default=NONE,
        )
    else:  # matching: each prompt matched to its own pair's answer (or an equal answer text)
        asked = prompts(content)
        right = sum(
            1
            for i in asked
            if (chosen := answer["matches"].get(str(i))) is not None
            and content.pairs[chosen].answer == content.pairs[i].answer
        )
        share = Decimal(right) / len(asked) if asked else NONE
    return min(max(share, NONE), FULL)


def ruled(content: ItemContent, kind: str, key: Sequence[int]) -> ItemContent | None:
    """``content`` as a challenge decision (C2) scores it: None when the item is dropped (it
    counts for nothing, neither marks nor the number of items); a rekey gives full marks to
    the named option and none to the rest; accepting several answers gives full marks to
    each named option and keeps the rest as they were."""
    if kind == "drop":
        return None
    if kind == "rekey":
        choices = tuple(
            replace(c, fraction=FULL if i in key else NONE) for i, c in enumerate(content.choices)
        )
    elif kind == "accept":
        choices = tuple(
            replace(c, fraction=FULL) if i in key else c for i, c in enumerate(content.choices)
        )
    else:
        return content
    return replace(content, choices=choices)
