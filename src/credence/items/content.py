"""What an item says, as plain data: the shape both file formats parse into and write from,
and the shape the item bank stores (``ItemVersion.content``).

No ORM here. An ``ItemContent`` is immutable, so a stored version can be compared with what a
file says (import is idempotent) and an export can be parsed back to the same value
(import ∘ export round-trips).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("multiple choice (partial credit)")
    TRUE_FALSE = "true_false", _("true/false")
    SHORT_ANSWER = "short_answer", _("short answer")
    NUMERIC = "numeric", _("numeric")
    MATCHING = "matching", _("matching")
    ESSAY = "essay", _("essay")
    DESCRIPTION = "description", _("description (no score)")


class TextFormat(models.TextChoices):
    # Moodle's names, so that both formats carry them unchanged
    MOODLE = "moodle", _("Moodle auto-format")
    HTML = "html", _("HTML")
    PLAIN = "plain", _("plain text")
    MARKDOWN = "markdown", _("Markdown")


FULL = Decimal(1)
NONE = Decimal(0)
WEIGHT_SLACK = Decimal("0.0001")
# Numbers in items and answers lie within 10**±100: "1e999999999" is finite, but it
# overflows the arithmetic of scoring, and no real answer is that big or that precise.
MAX_EXPONENT = 100

# Types whose options are Choices (text + fraction); true/false is stored as two choices
# "true" and "false" so that scoring and statistics treat it like any other choice item.
CHOICE_TYPES = frozenset(
    {ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE, ItemType.TRUE_FALSE, ItemType.SHORT_ANSWER}
)
TRUE, FALSE = "true", "false"
# Moodle's "any response" in short-answer patterns and as a numeric answer
ANY = "*"


@dataclass(frozen=True)
class Choice:
    """An option (choice items) or an accepted answer (short answer; ``*`` is a wildcard).
    ``fraction`` is the share of the item's marks it earns, -1..1."""

    text: str
    fraction: Decimal = NONE
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """Any response within ``value ± tolerance`` earns ``fraction``. ``value`` None is
    Moodle's ``*``: any response at all, usually a catch-all wrong answer with feedback."""

    value: Decimal | None
    tolerance: Decimal = NONE
    fraction: Decimal = FULL
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """A matching item's pair: ``prompt`` is matched to ``answer``. A pair with an empty
    prompt is a distractor answer that matches nothing."""

    prompt: str
    answer: str


@dataclass(frozen=True)
class ItemContent:
    type: ItemType
    stem: str
    name: str = ""
    stem_format: TextFormat = TextFormat.MOODLE
    choices: tuple[Choice, ...] = ()
    numeric: tuple[NumericAnswer, ...] = ()
    pairs: tuple[Pair, ...] = ()
    general_feedback: str = ""
    category: str = ""
    tags: tuple[str, ...] = field(default=())
    case_sensitive: bool = False  # short answer only

    @property
    def scored(self) -> bool:
        return self.type != ItemType.DESCRIPTION

    @property
    def label(self) -> str:
        """The item's name, or the start of its stem as Moodle names untitled questions."""
        if self.name:
            return self.name
        words = " ".join(self.stem.split())
        return words if len(words) <= 80 else words[:79] + "…"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: decimals as strings, so that nothing is rounded on the way."""
        return {
            "type": str(self.type),
            "name": self.name,
            "stem": self.stem,
            "stem_format": str(self.stem_format),
            "choices": [
                {"text": c.text, "fraction": str(c.fraction), "correct": c.fraction > 0}
                | ({"feedback": c.feedback} if c.feedback else {})
                for c in self.choices
            ],
            "numeric": [
                {
                    "value": ANY if n.value is None else str(n.value),
                    "tolerance": str(n.tolerance),
                    "fraction": str(n.fraction),
                }
                | ({"feedback": n.feedback} if n.feedback else {})
                for n in self.numeric
            ],
            "pairs": [{"prompt": p.prompt, "answer": p.answer} for p in self.pairs],
            "general_feedback": self.general_feedback,
            "category": self.category,
            "tags": list(self.tags),
            "case_sensitive": self.case_sensitive,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemContent:
        return cls(
            type=ItemType(data["type"]),
            stem=data["stem"],
            name=data.get("name", ""),
            stem_format=TextFormat(data.get("stem_format", TextFormat.MOODLE)),
            choices=tuple(
                Choice(c["text"], Decimal(c["fraction"]), c.get("feedback", ""))
                for c in data.get("choices", ())
            ),
            numeric=tuple(
                NumericAnswer(
                    None if n["value"] == ANY else Decimal(n["value"]),
                    Decimal(n["tolerance"]),
                    Decimal(n["fraction"]),
                    n.get("feedback", ""),
                )
                for n in data.get("numeric", ())
            ),
            pairs=tuple(Pair(p["prompt"], p["answer"]) for p in data.get("pairs", ())),
            general_feedback=data.get("general_feedback", ""),
            category=data.get("category", ""),
            tags=tuple(data.get("tags", ())),
            case_sensitive=bool(data.get("case_sensitive", False)),
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an item file, at a line (1-based)."""

    line: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class ItemFileError(Exception):
    """An item file with problems: all of them, so that an author can fix them in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in self.problems))


@dataclass(frozen=True)
class ParsedItem:
    """An item as read from a file, with the line it starts on (for later problems, such as
    a tag that is not a topic of the certification)."""

    content: ItemContent
    line: int


def check_item(content: ItemContent) -> list[str]:
    """What makes an item unusable, whatever format it came from: a choice item nobody can get
    right, a matching item without two pairs, fractions outside -1..1."""
    problems: list[str] = []
    if not content.stem.strip():
        problems.append(str(_("The item has no question text.")))
    for choice in content.choices:
        if not -FULL <= choice.fraction <= FULL:
            problems.append(
                str(_("The weight %(w)s%% is outside -100..100.") % {"w": choice.fraction * 100})
            )
    if content.type in CHOICE_TYPES and not any(c.fraction > 0 for c in content.choices):
        problems.append(str(_("No answer earns any credit.")))
    if (
        content.type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE)
        and len(content.choices) < 2
    ):
        problems.append(str(_("A choice item needs at least two options.")))
    if (
        content.type == ItemType.SINGLE_CHOICE
        and any(c.fraction > 0 for c in content.choices)
        and not any(c.fraction == FULL for c in content.choices)
    ):
        problems.append(str(_("A single-choice item needs an answer worth 100%.")))
    # Moodle writes thirds as 33.33333; a rounding slack keeps such files importable
    positive = sum((c.fraction for c in content.choices if c.fraction > 0), NONE)
    if content.type == ItemType.MULTIPLE_CHOICE and abs(positive - FULL) > WEIGHT_SLACK:
        problems.append(
            str(_("The positive weights of a multiple-choice item must add up to 100%."))
        )
    if content.type == ItemType.NUMERIC and not any(n.fraction > 0 for n in content.numeric):
        problems.append(str(_("No numeric answer earns any credit.")))
    if content.type == ItemType.NUMERIC and any(n.tolerance < 0 for n in content.numeric):
        problems.append(str(_("A tolerance cannot be negative.")))
    if content.type == ItemType.MATCHING and sum(1 for p in content.pairs if p.prompt) < 2:
        problems.append(str(_("A matching item needs at least two pairs.")))
    return problems
