"""Moodle XML, read and written as Moodle documents it
(https://docs.moodle.org/en/Moodle_XML_format).

``<quiz>`` holds ``<question type="...">`` elements: ``category`` (sets the category of the
questions after it), ``multichoice`` (``<single>``), ``truefalse``, ``shortanswer``
(``<usecase>``), ``numerical`` (``<tolerance>``), ``matching`` (``<subquestion>``), ``essay``
and ``description``; ``<tags>`` tag a question; a numerical answer ``*`` is any other
response. Other Moodle types (cloze, calculated, drag-and-drop) and embedded files
(``<file>``) are reported as problems, never silently dropped.

The file is read with expat, keeping each element's line for the problems, and refusing
DTDs and entity declarations (no entity expansion attacks from an uploaded file).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from django.utils.translation import gettext as _

from credence.items.content import (
    ANY,
    FALSE,
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

_FORMATS = {
    "html": TextFormat.HTML,
    "moodle_auto_format": TextFormat.MOODLE,
    "plain_text": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
_FORMAT_NAMES = {v: k for k, v in _FORMATS.items()}
_SIMPLE = {
    "truefalse": ItemType.TRUE_FALSE,
    "shortanswer": ItemType.SHORT_ANSWER,
    "numerical": ItemType.NUMERIC,
    "matching": ItemType.MATCHING,
    "essay": ItemType.ESSAY,
    "description": ItemType.DESCRIPTION,
}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def own_text(self) -> str:
        """The element's ``<text>`` (Moodle wraps every text so), or ''."""
        text = self.find("text")
        return text.text.strip() if text else ""

    def walk(self) -> Iterator[_Element]:
        for child in self.children:
            yield child
            yield from child.walk()

    def inner(self, tag: str) -> str:
        """The ``<text>`` of child ``tag``, or ''."""
        child = self.find(tag)
        return child.own_text() if child else ""


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _read_tree(data: bytes) -> _Element:
    parser = expat.ParserCreate()
    root = _Element("", {}, 0)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        stack[-1].text += text

    def refuse(*args: object) -> None:
        raise _Bad(parser.CurrentLineNumber, _("DTDs and entity declarations are not accepted."))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _Bad(exc.lineno, _("Not well-formed XML: %(error)s") % {"error": exc}) from None
    return root


def _fraction(element: _Element) -> Decimal:
    raw = element.attrs.get("fraction", "0")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _Bad(
            element.line, _("The fraction “%(raw)s” is not a number.") % {"raw": raw}
        ) from None
    if not value.is_finite():
        raise _Bad(element.line, _("The fraction “%(raw)s” is not a number.") % {"raw": raw})
    return value / 100


def _number(element: _Element, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        raise _Bad(element.line, _("“%(text)s” is not a number.") % {"text": text.strip()})
    return value


def parse_moodle_xml(data: bytes | str) -> list[ParsedItem]:
    """Every question of a Moodle XML file, or ``ItemFileError`` with every problem found."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        document = _read_tree(data)
    except _Bad as bad:
        raise ItemFileError([Problem(bad.line, bad.message)]) from None
    quiz = document.find("quiz")
    if quiz is None:
        top = document.children[0] if document.children else document
        raise ItemFileError([Problem(max(top.line, 1), _("The root element must be <quiz>."))])
    items: list[ParsedItem] = []
    problems: list[Problem] = []
    category = ""
    for question in quiz.findall("question"):
        kind = question.attrs.get("type", "")
        try:
            if kind == "category":
                category = question.inner("category")
                continue
            content = _question(question, kind, category)
        except _Bad as bad:
            problems.append(Problem(bad.line, bad.message))
            continue
        problems.extend(Problem(question.line, message) for message in check_item(content))
        items.append(ParsedItem(content, question.line))
    if problems:
        raise ItemFileError(problems)
    return items


# Moodle keeps a question's images and audio in the file (<file>, and <image>/<image_base64>
# before Moodle 2.0); Credence shows item texts as plain text and stores no files
_FILES = frozenset({"file", "image", "image_base64"})


def _question(question: _Element, kind: str, category: str) -> ItemContent:
    if kind == "multichoice":
        single_element = question.find("single")
        single = single_element.text.strip() if single_element else "true"
        item_type = ItemType.SINGLE_CHOICE if single in ("true", "1") else ItemType.MULTIPLE_CHOICE
    elif kind in _SIMPLE:
        item_type = _SIMPLE[kind]
    else:
        raise _Bad(
            question.line,
            _(
                "The question type “%(type)s” is not supported; Credence delivers multichoice, "
                "truefalse, shortanswer, numerical, matching, essay and description."
            )
            % {"type": kind or "?"},
        )
    embedded = next((e for e in question.walk() if e.tag in _FILES and e.text.strip()), None)
    if embedded is not None:
        raise _Bad(
            embedded.line,
            _(
                "The question embeds a file (%(name)s); Credence items cannot carry files: "
                "put the content in the text or leave it out."
            )
            % {"name": embedded.attrs.get("name") or embedded.tag},
        )
    text_element = question.find("questiontext")
    stem_format = _FORMATS.get(
        text_element.attrs.get("format", "") if text_element else "", TextFormat.HTML
    )
    tags_element = question.find("tags")
    tags = tuple(t.own_text() for t in (tags_element.findall("tag") if tags_element else []))
    content = ItemContent(
        type=item_type,
        stem=question.inner("questiontext"),
        name=question.inner("name"),
        stem_format=stem_format,
        general_feedback=question.inner("generalfeedback"),
        category=category,
        tags=tuple(t for t in tags if t),
    )
    answers = question.findall("answer")
    if item_type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE, ItemType.SHORT_ANSWER):
        choices = tuple(Choice(a.own_text(), _fraction(a), a.inner("feedback")) for a in answers)
        for answer, choice in zip(answers, choices, strict=True):
            if not choice.text:
                raise _Bad(answer.line, _("An answer without text."))
        usecase = question.find("usecase")
        case_sensitive = bool(usecase and usecase.text.strip() == "1")
        return replace(content, choices=choices, case_sensitive=case_sensitive)
    if item_type == ItemType.TRUE_FALSE:
        by_text: dict[str, Choice] = {}
        for answer in answers:
            value = answer.own_text().lower()
            if value not in (TRUE, FALSE):
                raise _Bad(answer.line, _("A true/false answer must be “true” or “false”."))
            by_text[value] = Choice(value, _fraction(answer), answer.inner("feedback"))
        if set(by_text) != {TRUE, FALSE}:
            raise _Bad(question.line, _("A true/false question needs a true and a false answer."))
        return replace(content, choices=(by_text[TRUE], by_text[FALSE]))
    if item_type == ItemType.NUMERIC:
        numeric = []
        for answer in answers:
            tolerance = answer.find("tolerance")
            # "*" is any response (a catch-all, usually with feedback); Moodle writes its
            # tolerance empty or 0
            text = answer.own_text()
            number = None if text == ANY else _number(answer, text)
            margin = (
                _number(tolerance, tolerance.text) if tolerance and tolerance.text.strip() else NONE
            )
            numeric.append(
                NumericAnswer(number, abs(margin), _fraction(answer), answer.inner("feedback"))
            )
        return replace(content, numeric=tuple(numeric))
    if item_type == ItemType.MATCHING:
        pairs = []
        for sub in question.findall("subquestion"):
            pair = Pair(sub.own_text(), sub.inner("answer"))
            if not pair.answer:
                raise _Bad(sub.line, _("A matching pair without an answer."))
            pairs.append(pair)
        return replace(content, pairs=tuple(pairs))
    return content


# --- writing ---------------------------------------------------------------------------------


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _text(parent: ET.Element, tag: str, text: str, text_format: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": text_format} if text_format else {})
    ET.SubElement(element, "text").text = text
    return element


def _answer(parent: ET.Element, text: str, fraction: Decimal, feedback: str) -> ET.Element:
    answer = ET.SubElement(
        parent, "answer", {"fraction": _number_text(fraction * 100), "format": "moodle_auto_format"}
    )
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback, "moodle_auto_format")
    return answer


_TYPE_NAMES = {v: k for k, v in _SIMPLE.items()} | {
    ItemType.SINGLE_CHOICE: "multichoice",
    ItemType.MULTIPLE_CHOICE: "multichoice",
}


def write_moodle_xml(items: Sequence[ItemContent]) -> str:
    """A Moodle XML file that ``parse_moodle_xml`` reads back to the same items."""
    quiz = ET.Element("quiz")
    category = ""
    for content in items:
        if content.category != category:
            holder = ET.SubElement(quiz, "question", {"type": "category"})
            _text(holder, "category", content.category)
            category = content.category
        question = ET.SubElement(quiz, "question", {"type": _TYPE_NAMES[content.type]})
        _text(question, "name", content.name)
        _text(question, "questiontext", content.stem, _FORMAT_NAMES[content.stem_format])
        _text(question, "generalfeedback", content.general_feedback, "moodle_auto_format")
        if content.type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE):
            single = "true" if content.type == ItemType.SINGLE_CHOICE else "false"
            ET.SubElement(question, "single").text = single
            ET.SubElement(question, "shuffleanswers").text = "true"
        if content.type == ItemType.SHORT_ANSWER:
            ET.SubElement(question, "usecase").text = "1" if content.case_sensitive else "0"
        for choice in content.choices:
            _answer(question, choice.text, choice.fraction, choice.feedback)
        for number in content.numeric:
            value = ANY if number.value is None else _number_text(number.value)
            answer = _answer(question, value, number.fraction, number.feedback)
            ET.SubElement(answer, "tolerance").text = _number_text(number.tolerance)
        for pair in content.pairs:
            sub = ET.SubElement(question, "subquestion", {"format": "moodle_auto_format"})
            ET.SubElement(sub, "text").text = pair.prompt
            _text(sub, "answer", pair.answer)
        if content.tags:
            tags = ET.SubElement(question, "tags")
            for tag in content.tags:
                _text(tags, "tag", tag)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
