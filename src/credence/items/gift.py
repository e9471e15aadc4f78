"""Moodle's GIFT format, read and written as Moodle documents it
(https://docs.moodle.org/en/GIFT_format).

Questions are separated by blank lines and may span several lines; ``//`` starts a comment
line (``// [tag:topic]`` in a question's comments tags it, as in Moodle 3.6+); ``$CATEGORY:``
sets the category of the questions that follow; ``::title::`` names a question; ``[html]``,
``[moodle]``, ``[plain]`` and ``[markdown]`` set its text format. In the answer block ``{...}``:
``=`` right, ``~`` wrong, ``%50%`` a weight, ``#`` feedback, ``####`` general feedback, ``->``
matching, ``#3:0.5`` and ``#1..5`` numeric (``{#3:2 ~#Wrong}``: feedback for any other number),
``T``/``TRUE``/``F``/``FALSE`` true/false, ``{}`` an essay; no block at all is a description.
An answer, feedback or prompt may start with its own format (``~[plain]blue``). Text after
the block makes a "missing word" question (``_____`` marks the gap).
``\\~ \\= \\# \\{ \\} \\: \\\\`` are the characters themselves and ``\\n`` a line break.

Pure: text in, ``ParsedItem``s (or ``ItemFileError`` with every problem and its line) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from credence.items.content import (
    ANY,
    FALSE,
    FULL,
    MAX_EXPONENT,
    NONE,
    TRUE,
    Choice,
    ItemContent,
    ItemFileError,
    ItemType,
    NumericAnswer,
    Pair,
    ParsedItem,
    Problem,
    TextFormat,
    check_item,
)

GAP = "_____"
_SPECIAL = "~=#{}:"
# Escaped characters are swapped for private-use code points while the structure is parsed,
# and swapped back in the texts found.
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate("\\" + _SPECIAL)}
# \n stands for a line break inside a text; hidden too, so that line numbers stay right
_NEWLINE = chr(0xE010)
_SHOW = {v: k for k, v in _HIDE.items()} | {_NEWLINE: "\n"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
# "\]" inside a tag is the character (Moodle's [tag:t\]ag] is the tag "t]ag")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Bad(Exception):
    """A problem inside one question; ``offset`` points into the question's text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class _Block:
    lines: list[tuple[int, str]]  # (line number, text) of the non-comment lines
    tags: list[str]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def line_at(self, hidden: str, offset: int) -> int:
        """The file line of ``offset`` in the block's text with its escapes hidden."""
        index = hidden[:offset].count("\n")
        return self.lines[min(index, len(self.lines) - 1)][0]


def _hide_escapes(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair[0] == "\\" and pair[1] in _HIDE:
            out.append(_HIDE[pair[1]])
            i += 2
        elif pair == "\\n":
            out.append(_NEWLINE)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _show(text: str) -> str:
    return "".join(_SHOW.get(c, c) for c in text).strip()


def _formatted(text: str) -> str:
    """An answer, feedback or matching prompt as Moodle reads it: a leading ``[html]``,
    ``[moodle]``, ``[plain]`` or ``[markdown]`` is its text format. Credence shows these texts
    as plain text, so the format is read and not kept (docs/decisions/0012)."""
    text = text.strip()
    match = _FORMAT.match(text)
    return _show(text[match.end() :] if match else text)


def _blocks(text: str) -> Iterable[_Block]:
    block = _Block([], [])
    # split on line feeds only: other line separators may be text inside a question
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if block.lines:
                yield block
            block = _Block([], [])
        elif stripped.startswith("//"):
            found = (t.replace("\\]", "]").strip() for t in _TAG.findall(stripped))
            block.tags.extend(tag for tag in found if tag)
        else:
            block.lines.append((number, line.rstrip()))
    if block.lines:
        yield block


def parse_gift(text: str) -> list[ParsedItem]:
    """Every question of a GIFT file, or ``ItemFileError`` with every problem found."""
    items: list[ParsedItem] = []
    problems: list[Problem] = []
    category = ""
    for block in _blocks(text.lstrip("\ufeff")):
        hidden = _hide_escapes(block.text)
        if hidden.lstrip().startswith("$CATEGORY:"):
            first, _sep, rest = hidden.lstrip().partition("\n")
            category = _show(first.removeprefix("$CATEGORY:"))
            if not rest.strip():
                continue
            # the question after a category line in the same block starts on its next line
            block = _Block(block.lines[1:], block.tags)
            hidden = _hide_escapes(block.text)
        try:
            content = _question(hidden, category=category, tags=tuple(block.tags))
        except _Bad as bad:
            problems.append(Problem(block.line_at(hidden, bad.offset), bad.message))
            continue
        start = block.lines[0][0]
        problems.extend(Problem(start, message) for message in check_item(content))
        items.append(ParsedItem(content, start))
    if problems:
        raise ItemFileError(problems)
    return items


def _question(text: str, *, category: str, tags: tuple[str, ...]) -> ItemContent:
    name = ""
    body_start = len(text) - len(text.lstrip())
    body = text.lstrip()
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise _Bad(_("The title starts with :: but is not closed with ::."), body_start)
        name = _show(body[2:end])
        body_start += end + 2
        body = body[end + 2 :]
    stem_format = TextFormat.MOODLE
    lead = len(body) - len(body.lstrip())
    match = _FORMAT.match(body.lstrip())
    if match:
        stem_format = TextFormat(match.group(1))
        body = body.lstrip()[match.end() :]
        body_start += lead + match.end()
    opening = body.find("{")
    closing = body.find("}")
    if opening < 0:
        if closing >= 0:
            raise _Bad(_("A } without an opening {; write \\} for the character."), closing)
        return ItemContent(
            type=ItemType.DESCRIPTION,
            stem=_show(body),
            name=name,
            stem_format=stem_format,
            category=category,
            tags=tags,
        )
    if closing < 0:
        raise _Bad(_("The answer block opened here is not closed with }."), body_start + opening)
    if closing < opening:
        raise _Bad(
            _("A } without an opening {; write \\} for the character."), body_start + closing
        )
    answers = body[opening + 1 : closing]
    if "{" in answers:
        raise _Bad(
            _("A { inside an answer block; write \\{ for the character."),
            body_start + opening + 1 + answers.index("{"),
        )
    before, after = body[:opening], body[closing + 1 :]
    if "{" in after or "}" in after:
        raise _Bad(
            _("Only one answer block per question; write \\{ and \\} for the characters."),
            body_start + closing + 1,
        )
    # text after the block makes a "missing word" question, the gap where the block was
    stem = _show(before + GAP + after) if after.strip() else _show(before)
    content = ItemContent(
        type=ItemType.ESSAY,
        stem=stem,
        name=name,
        stem_format=stem_format,
        category=category,
        tags=tags,
    )
    try:
        return _answers(content, answers)
    except _Bad as bad:
        raise _Bad(bad.message, body_start + opening + 1 + bad.offset) from None


@contextmanager
def _at(offset: int) -> Iterator[None]:
    """Problems raised inside are ``offset`` further into the text."""
    try:
        yield
    except _Bad as bad:
        raise _Bad(bad.message, bad.offset + offset) from None


def _pieces(text: str, marks: str) -> list[tuple[int, str]]:
    """``text`` cut before each of ``marks``: (offset, piece) pairs; a piece starts with its
    mark. Text before the first mark is a problem."""
    starts = [i for i, char in enumerate(text) if char in marks]
    if not starts or text[: starts[0]].strip():
        raise _Bad(_("Answers start with %(marks)s.") % {"marks": " or ".join(marks)})
    return [(s, text[s:e]) for s, e in zip(starts, [*starts[1:], len(text)], strict=True)]


def _answers(content: ItemContent, text: str) -> ItemContent:
    answers, _sep, general = text.partition("####")
    content = replace(content, general_feedback=_formatted(general))
    lead = len(answers) - len(answers.lstrip())
    stripped = answers.strip()
    with _at(lead):
        if not stripped:
            return content
        if stripped.startswith("#"):
            with _at(1):
                return _numeric(content, stripped[1:])
        if "~" in stripped:
            return _choices(content, stripped)
        if "=" in stripped and "->" in stripped:
            return _matching(content, stripped)
        head, _sep, feedback = stripped.partition("#")
        if head.strip() in _TRUE_FALSE:
            wrong, _sep, right = feedback.partition("#")
            return _true_false(
                content, _TRUE_FALSE[head.strip()], _formatted(wrong), _formatted(right)
            )
        if stripped.startswith("="):
            return _short_answer(content, stripped)
    raise _Bad(
        _(
            "Cannot tell the type of this question: an answer block holds =right/~wrong answers, "
            "#numbers, =a -> b pairs, T or F, or nothing (an essay)."
        ),
        lead,
    )


def _weighted(answer: str, default: Decimal) -> tuple[Decimal, str, str]:
    """``%50%text#feedback`` → (fraction, text, feedback)."""
    answer = answer.strip()
    fraction = default
    match = _WEIGHT.match(answer)
    if match:
        fraction = Decimal(match.group(1)) / 100
        answer = answer[match.end() :]
    text, _sep, feedback = answer.partition("#")
    return fraction, _formatted(text), _formatted(feedback)


def _choices(content: ItemContent, text: str) -> ItemContent:
    choices: list[Choice] = []
    for offset, piece in _pieces(text, "~="):
        right = piece[0] == "="
        fraction, answer, feedback = _weighted(piece[1:], FULL if right else NONE)
        if not answer:
            raise _Bad(_("An answer without text."), offset)
        choices.append(Choice(answer, fraction, feedback))
    # Moodle: an answer marked with = makes a single-choice question; weights alone (no =)
    # make a multiple-answer question with partial credit.
    kind = ItemType.SINGLE_CHOICE if "=" in text else ItemType.MULTIPLE_CHOICE
    return replace(content, type=kind, choices=tuple(choices))


def _short_answer(content: ItemContent, text: str) -> ItemContent:
    choices = []
    for offset, piece in _pieces(text, "="):
        fraction, answer, feedback = _weighted(piece[1:], FULL)
        if not answer:
            raise _Bad(_("An accepted answer without text."), offset)
        choices.append(Choice(answer, fraction, feedback))
    return replace(content, type=ItemType.SHORT_ANSWER, choices=tuple(choices))


def _matching(content: ItemContent, text: str) -> ItemContent:
    pairs = []
    for offset, piece in _pieces(text, "="):
        prompt, arrow, answer = piece[1:].partition("->")
        if not arrow:
            raise _Bad(_("A matching pair without ->: write =question -> answer."), offset)
        if not _show(answer):
            raise _Bad(_("A matching pair without an answer after ->."), offset)
        pairs.append(Pair(_formatted(prompt), _show(answer)))
    return replace(content, type=ItemType.MATCHING, pairs=tuple(pairs))


def _true_false(content: ItemContent, truth: bool, wrong: str, right: str) -> ItemContent:
    # GIFT's first feedback is for a wrong response, the second for a right one
    true = Choice(TRUE, FULL if truth else NONE, right if truth else wrong)
    false = Choice(FALSE, NONE if truth else FULL, wrong if truth else right)
    return replace(content, type=ItemType.TRUE_FALSE, choices=(true, false))


def _number(text: str) -> Decimal:
    try:
        value = Decimal(_show(text))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        raise _Bad(_("“%(text)s” is not a number.") % {"text": _show(text)})
    return value


def _numeric_answer(text: str, fraction: Decimal, feedback: str) -> NumericAnswer:
    text = text.strip()
    if text == ANY:
        return NumericAnswer(None, NONE, fraction, feedback)
    if ".." in text:
        low_text, _sep, high_text = text.partition("..")
        low, high = _number(low_text), _number(high_text)
        if low > high:
            raise _Bad(
                _("The range %(low)s..%(high)s runs backwards.") % {"low": low, "high": high}
            )
        # Moodle stores a range as its midpoint with half its width as the tolerance
        return NumericAnswer((low + high) / 2, (high - low) / 2, fraction, feedback)
    value_text, colon, tolerance_text = text.partition(":")
    tolerance = _number(tolerance_text) if colon else NONE
    if tolerance < 0:
        raise _Bad(_("A tolerance cannot be negative."))
    return NumericAnswer(_number(value_text), tolerance, fraction, feedback)


def _numeric(content: ItemContent, text: str) -> ItemContent:
    answers: list[NumericAnswer] = []
    # Moodle: from the first ~ on is the feedback for any other response ({#3:2 ~#Wrong}),
    # stored as a last answer "*" worth nothing
    text, tilde, wrong = text.partition("~")
    if "=" in text:
        for offset, piece in _pieces(text, "="):
            with _at(offset):
                fraction, answer, feedback = _weighted(piece[1:], FULL)
                answers.append(_numeric_answer(answer, fraction, feedback))
    elif text.strip() or not tilde:
        answer, _sep, feedback = text.partition("#")
        answers.append(_numeric_answer(answer, FULL, _formatted(feedback)))
    if tilde:
        answers.append(NumericAnswer(None, NONE, NONE, _formatted(wrong.partition("#")[2])))
    return replace(content, type=ItemType.NUMERIC, numeric=tuple(answers))


# --- writing ---------------------------------------------------------------------------------


def _escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _weight(fraction: Decimal) -> str:
    return f"%{_number_text(fraction * 100)}%"


def _escape_text(text: str) -> str:
    """An answer, feedback or prompt: one that starts like a format marker gets Moodle's
    default marker in front, so that it is read back as written."""
    return ("[moodle]" if _FORMAT.match(text) else "") + _escape(text)


def _feedback(text: str) -> str:
    return f" #{_escape_text(text)}" if text else ""


def _numeric_text(answer: NumericAnswer, *, last: bool) -> str:
    if answer.value is None and last and answer.fraction == NONE:
        return f"~{_feedback(answer.feedback).lstrip()}"  # as Moodle writes it
    weight = "" if answer.fraction == FULL else _weight(answer.fraction)
    if answer.value is None:
        return f"={weight}{ANY}{_feedback(answer.feedback)}"
    return (
        f"={weight}{_number_text(answer.value)}:{_number_text(answer.tolerance)}"
        f"{_feedback(answer.feedback)}"
    )


def _answer_block(content: ItemContent) -> str:
    kind = content.type
    parts: list[str] = []
    if kind in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE):
        # one = makes a single-choice item; any further right answer is written as a weight
        right = next((c for c in content.choices if c.fraction == FULL), None)
        for choice in content.choices:
            if kind == ItemType.SINGLE_CHOICE and choice is right:
                mark = "="
            elif choice.fraction == NONE and kind == ItemType.SINGLE_CHOICE:
                mark = "~"
            else:
                mark = "~" + _weight(choice.fraction)
            parts.append(f"{mark}{_escape_text(choice.text)}{_feedback(choice.feedback)}")
    elif kind == ItemType.SHORT_ANSWER:
        for choice in content.choices:
            weight = "" if choice.fraction == FULL else _weight(choice.fraction)
            parts.append(f"={weight}{_escape_text(choice.text)}{_feedback(choice.feedback)}")
    elif kind == ItemType.TRUE_FALSE:
        by_text = {c.text: c for c in content.choices}
        truth = by_text[TRUE].fraction > 0
        right, wrong = (by_text[TRUE], by_text[FALSE]) if truth else (by_text[FALSE], by_text[TRUE])
        feedback = (
            f"#{_escape_text(wrong.feedback)}#{_escape_text(right.feedback)}"
            if right.feedback or wrong.feedback
            else ""
        )
        parts.append(("TRUE" if truth else "FALSE") + feedback)
    elif kind == ItemType.NUMERIC:
        numbers = [
            _numeric_text(n, last=i == len(content.numeric) - 1)
            for i, n in enumerate(content.numeric)
        ]
        parts.append("#" + " ".join(numbers))
    elif kind == ItemType.MATCHING:
        parts.extend(f"={_escape_text(p.prompt)} -> {_escape(p.answer)}" for p in content.pairs)
    if content.general_feedback:
        parts.append(f"####{_escape_text(content.general_feedback)}")
    return "{" + " ".join(parts) + "}"


def _stem(content: ItemContent) -> str:
    stem = content.stem
    prefix = ""
    # an explicit format also keeps a stem that starts with [ or // from being misread
    if content.stem_format != TextFormat.MOODLE or stem.startswith(("[", "//")):
        prefix = f"[{content.stem_format}]"
    if content.type == ItemType.DESCRIPTION:
        return prefix + _escape(stem)
    before, gap, after = stem.partition(GAP)
    if gap and after.strip():
        return f"{prefix}{_escape(before)}{_answer_block(content)}{_escape(after)}"
    return f"{prefix}{_escape(stem)} {_answer_block(content)}"


def write_gift(items: Sequence[ItemContent]) -> str:
    """A GIFT file that ``parse_gift`` reads back to the same items."""
    out: list[str] = []
    category = ""
    for content in items:
        if content.category != category:
            out.append(f"$CATEGORY: {_escape(content.category)}\n")
            category = content.category
        lines = [f"// [tag:{tag}]" for tag in content.tags]
        title = f"::{_escape(content.name)}::" if content.name else ""
        lines.append(title + _stem(content))
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)
