"""Moodle XML as Moodle documents it (https://docs.moodle.org/en/Moodle_XML_format)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credence.items.content import (
    FALSE,
    FULL,
    NONE,
    TRUE,
    Choice,
    ItemFileError,
    ItemType,
    NumericAnswer,
    Pair,
    TextFormat,
)
from credence.items.gift import parse_gift, write_gift
from credence.items.moodlexml import parse_moodle_xml, write_moodle_xml
from credence.items.tests.strategies import items

EXAMPLES = Path(__file__).parent / "files" / "moodle-doc-examples.xml"


def problems(text):
    with pytest.raises(ItemFileError) as caught:
        parse_moodle_xml(text)
    return [(p.line, p.message) for p in caught.value.problems]


def quiz(*questions):
    return "<?xml version='1.0'?>\n<quiz>\n" + "\n".join(questions) + "\n</quiz>\n"


def test_the_documented_examples():
    parsed = parse_moodle_xml(EXAMPLES.read_bytes())
    by_name = {p.content.name: p.content for p in parsed}

    assert [p.content.type for p in parsed] == [
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.TRUE_FALSE,
        ItemType.SHORT_ANSWER,
        ItemType.NUMERIC,
        ItemType.MATCHING,
        ItemType.ESSAY,
        ItemType.DESCRIPTION,
    ]
    first = parsed[0].content
    assert first.stem == "What is the answer to this question?"
    assert first.stem_format == TextFormat.HTML
    assert first.category == "$course$/top/Default for ML Expert"
    assert first.tags == ("model-evaluation",)
    assert first.choices == (
        Choice("The correct answer", FULL, "Correct!"),
        Choice("A distractor", NONE, "Ooops!"),
        Choice("Another distractor", NONE, "Ooops!"),
    )
    assert by_name["Two right answers"].stem == "<p>Which are <b>prime</b>?</p>"
    assert [c.fraction for c in by_name["Two right answers"].choices] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal(-1),
    ]
    assert parsed[2].content.choices == (
        Choice(TRUE, FULL, "Correct!"),
        Choice(FALSE, NONE, "Ooops!"),
    )
    assert [c.text for c in by_name["Short"].choices] == [
        "The correct answer",
        "An alternative answer",
    ]
    assert by_name["Numerical"].numeric == (
        NumericAnswer(Decimal(4), NONE, FULL, "Correct!"),
        NumericAnswer(Decimal(4), Decimal(1), Decimal("0.5"), "Close."),
    )
    assert by_name["Matching"].pairs == (
        Pair("This is the 1st item", "Match 1"),
        Pair("This is the 2nd item", "Match 2"),
        Pair("", "An extra answer matching nothing"),
    )
    assert by_name["Essay"].general_feedback == "Marked by an author after the session."
    assert by_name["Description"].stem_format == TextFormat.MOODLE
    assert [p.line for p in parsed][:2] == [9, 35]


def test_problems_are_all_reported_with_their_lines():
    text = quiz(
        '<question type="multichoice">',  # 3
        "<name><text>none right</text></name>",
        "<questiontext><text>Pick</text></questiontext>",
        '<answer fraction="0"><text>a</text></answer>',
        '<answer fraction="0"><text>b</text></answer>',
        "</question>",
        '<question type="multianswer">',  # 9
        "<questiontext><text>{1:SHORTANSWER:=Berlin}</text></questiontext>",
        "</question>",
        '<question type="numerical">',  # 12
        "<questiontext><text>How many?</text></questiontext>",
        '<answer fraction="100"><text>many</text></answer>',  # 14
        "</question>",
        '<question type="truefalse">',  # 16
        "<questiontext><text>Sure?</text></questiontext>",
        '<answer fraction="lots"><text>true</text></answer>',  # 18
        "</question>",
    )

    assert problems(text) == [
        (3, "No answer earns any credit."),
        (
            9,
            "The question type “multianswer” is not supported; Credence delivers multichoice, "
            "truefalse, shortanswer, numerical, matching, essay and description.",
        ),
        (14, "“many” is not a number."),
        (18, "The fraction “lots” is not a number."),
    ]


def test_malformed_xml_names_its_line():
    ((line, message),) = problems("<quiz>\n<question type='essay'>\n<name>\n</quiz>\n")

    assert line == 4
    assert message.startswith("Not well-formed XML")


def test_entity_declarations_are_refused():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<quiz>&b;</quiz>\n'
    )

    assert problems(bomb) == [(2, "DTDs and entity declarations are not accepted.")]


def test_the_root_must_be_quiz():
    assert problems("<questions/>") == [(1, "The root element must be <quiz>.")]


def test_short_answer_case_sensitivity_is_kept():
    text = quiz(
        '<question type="shortanswer"><questiontext><text>Capital?</text></questiontext>',
        "<usecase>1</usecase>",
        '<answer fraction="100"><text>Berlin</text></answer></question>',
    )

    (parsed,) = parse_moodle_xml(text)
    assert parsed.content.case_sensitive is True
    assert parse_moodle_xml(write_moodle_xml([parsed.content]))[0].content.case_sensitive


def test_export_of_the_documented_examples_reads_back_the_same():
    contents = [p.content for p in parse_moodle_xml(EXAMPLES.read_bytes())]

    assert [p.content for p in parse_moodle_xml(write_moodle_xml(contents))] == contents


@settings(max_examples=300, deadline=None)
@given(st.lists(items(), max_size=5))
def test_import_of_an_export_gives_the_same_items(contents):
    assert [p.content for p in parse_moodle_xml(write_moodle_xml(contents))] == contents


@settings(max_examples=150, deadline=None)
@given(st.lists(items(gift=True), max_size=4))
def test_gift_and_moodle_xml_carry_the_same_items(contents):
    through_xml = [p.content for p in parse_moodle_xml(write_moodle_xml(contents))]

    assert [p.content for p in parse_gift(write_gift(through_xml))] == contents
