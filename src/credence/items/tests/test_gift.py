"""GIFT as Moodle documents it (https://docs.moodle.org/en/GIFT_format): the documentation's
own examples read as Moodle reads them, problems with their lines, and round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credence.items.content import (
    FULL,
    NONE,
    Choice,
    ItemFileError,
    ItemType,
    NumericAnswer,
    Pair,
    TextFormat,
)
from credence.items.gift import parse_gift, write_gift
from credence.items.tests.strategies import items


def one(text):
    (parsed,) = parse_gift(text)
    return parsed.content


def problems(text):
    with pytest.raises(ItemFileError) as caught:
        parse_gift(text)
    return [(p.line, p.message) for p in caught.value.problems]


# --- the examples on Moodle's GIFT documentation page ----------------------------------------


def test_multiple_choice_with_one_right_answer():
    item = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")

    assert item.type == ItemType.SINGLE_CHOICE
    assert item.stem == "Who's buried in Grant's tomb?"
    assert item.choices == (
        Choice("Grant", NONE),
        Choice("Jefferson", NONE),
        Choice("no one", FULL),
    )


def test_missing_word_puts_a_gap_where_the_answers_were():
    item = one("Grant is {~buried =entombed ~living} in Grant's tomb.")

    assert item.type == ItemType.SINGLE_CHOICE
    assert item.stem == "Grant is _____ in Grant's tomb."
    assert [c.text for c in item.choices if c.fraction == FULL] == ["entombed"]


def test_thanksgiving_missing_word():
    item = one(
        "The American holiday of Thanksgiving is celebrated on the {~second ~third =fourth} "
        "Thursday of November."
    )

    assert item.stem == (
        "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    )
    assert [c.text for c in item.choices] == ["second", "third", "fourth"]


def test_multiple_choice_answers_on_several_lines():
    item = one(
        "What's between orange and green in the spectrum?\n"
        "{\n=yellow # right; good!\n~red # wrong, it's yellow\n~blue # wrong, it's yellow\n}"
    )

    assert item.choices == (
        Choice("yellow", FULL, "right; good!"),
        Choice("red", NONE, "wrong, it's yellow"),
        Choice("blue", NONE, "wrong, it's yellow"),
    )


def test_short_answer_accepts_each_listed_answer():
    item = one("Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}")

    assert item.type == ItemType.SHORT_ANSWER
    assert [c.text for c in item.choices] == ["Grant", "Ulysses S. Grant", "Ulysses Grant"]
    assert all(c.fraction == FULL for c in item.choices)
    assert item.case_sensitive is False


def test_short_answer_in_a_gap():
    item = one("Two plus {=two =2} equals four.")

    assert item.type == ItemType.SHORT_ANSWER
    assert item.stem == "Two plus _____ equals four."


@pytest.mark.parametrize(
    ("text", "truth"),
    [
        ("Grant is buried in Grant's tomb.{F}", False),
        ("The sun rises in the east.{T}", True),
        ("The sun rises in the east.{TRUE}", True),
        ("The sun rises in the west.{FALSE}", False),
    ],
)
def test_true_false(text, truth):
    item = one(text)

    assert item.type == ItemType.TRUE_FALSE
    by_text = {c.text: c.fraction for c in item.choices}
    assert by_text == ({"true": FULL, "false": NONE} if truth else {"true": NONE, "false": FULL})


def test_true_false_feedback_is_wrong_then_right():
    item = one("Grant is buried in Grant's tomb.{FALSE#No, he was buried there.#Yes, he was.}")

    by_text = {c.text: c for c in item.choices}
    assert by_text["false"].feedback == "Yes, he was."  # the right response
    assert by_text["true"].feedback == "No, he was buried there."  # the wrong response


def test_matching_with_general_feedback():
    item = one(
        "Match the following countries with their corresponding capitals. {\n"
        "   =Canada -> Ottawa\n   =Italy  -> Rome\n   =Japan  -> Tokyo\n   =India  -> New Delhi\n"
        "   ####It's good to know the capitals\n}"
    )

    assert item.type == ItemType.MATCHING
    assert item.pairs == (
        Pair("Canada", "Ottawa"),
        Pair("Italy", "Rome"),
        Pair("Japan", "Tokyo"),
        Pair("India", "New Delhi"),
    )
    assert item.general_feedback == "It's good to know the capitals"


def test_numeric_with_tolerance():
    item = one("When was Ulysses S. Grant born?{#1822:5}")

    assert item.type == ItemType.NUMERIC
    assert item.numeric == (NumericAnswer(Decimal(1822), Decimal(5)),)


def test_numeric_pi_with_tolerance_and_text_after():
    item = one("What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.")

    assert item.numeric == (NumericAnswer(Decimal("3.1415"), Decimal("0.0005")),)
    assert item.stem == "What is the value of pi (to 3 decimal places)? _____."


def test_numeric_range_becomes_midpoint_and_tolerance():
    item = one("What is the value of pi (to 3 decimal places)? {#3.141..3.142}.")

    assert item.numeric == (NumericAnswer(Decimal("3.1415"), Decimal("0.0005")),)


def test_numeric_range_and_tolerance_forms_mean_the_same():
    assert (
        one("::Q5:: What is a number from 1 to 5? {#3:2}").numeric
        == one("::Q6:: What is a number from 1 to 5? {#1..5}").numeric
    )


def test_several_numeric_answers_with_partial_credit_and_feedback():
    item = one(
        "::Q7:: When was Ulysses S. Grant born? {#\n"
        "         =1822:0      # Correct! Full credit.\n"
        "         =%50%1822:2  # He was born in 1822. Half credit for being close.\n"
        "}"
    )

    assert item.name == "Q7"
    assert item.numeric == (
        NumericAnswer(Decimal(1822), NONE, FULL, "Correct! Full credit."),
        NumericAnswer(
            Decimal(1822),
            Decimal(2),
            Decimal("0.5"),
            "He was born in 1822. Half credit for being close.",
        ),
    )


def test_weights_without_an_equals_sign_make_multiple_answers_with_partial_credit():
    item = one(
        "What two people are entombed in Grant's tomb? {\n"
        "   ~%-100%No one\n   ~%50%Grant\n   ~%50%Grant's wife\n   ~%-100%Grant's father\n}"
    )

    assert item.type == ItemType.MULTIPLE_CHOICE
    assert [(c.text, c.fraction) for c in item.choices] == [
        ("No one", Decimal(-1)),
        ("Grant", Decimal("0.5")),
        ("Grant's wife", Decimal("0.5")),
        ("Grant's father", Decimal(-1)),
    ]


def test_weighted_right_answers_with_feedback():
    item = one(
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    =Nazareth#Yes! That's right!\n"
        "    =%75%Nazereth#Right, but misspelled.\n"
        "    =%25%Bethlehem#He was born here, but not raised here.\n}"
    )

    assert item.name == "Jesus' hometown"
    assert item.type == ItemType.SHORT_ANSWER
    assert [(c.text, c.fraction, c.feedback) for c in item.choices] == [
        ("Nazareth", FULL, "Yes! That's right!"),
        ("Nazereth", Decimal("0.75"), "Right, but misspelled."),
        ("Bethlehem", Decimal("0.25"), "He was born here, but not raised here."),
    ]


def test_essay_and_description():
    essay, description = (
        p.content for p in parse_gift("::Q8:: How are you? {}\n\nYou can use your pencil.\n")
    )

    assert (essay.type, essay.stem) == (ItemType.ESSAY, "How are you?")
    assert (description.type, description.stem) == (
        ItemType.DESCRIPTION,
        "You can use your pencil.",
    )
    assert not description.scored


def test_general_feedback():
    item = one(
        "What's the answer to this multiple-choice question?{\n"
        "~wrong answer#feedback comment on the wrong answer\n"
        "~another wrong answer#feedback comment on this wrong answer\n"
        "=right answer#Very good!\n"
        "####This is general feedback\n}"
    )

    assert item.general_feedback == "This is general feedback"
    assert item.choices[2] == Choice("right answer", FULL, "Very good!")


def test_escapes_are_the_characters_themselves():
    item = one("Which answer equals 5? {\n   ~ \\= 2 + 2\n   = \\= 2 + 3\n   ~ \\= 2 + 4\n}")

    assert [c.text for c in item.choices] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert item.choices[1].fraction == FULL


def test_every_escape_and_a_line_break():
    item = one("::a\\:b:: \\{x\\} \\~ \\# \\= \\\\ done\\nnext line {T}")

    assert item.name == "a:b"
    assert item.stem == "{x} ~ # = \\ done\nnext line"


def test_comments_categories_tags_and_formats():
    parsed = parse_gift(
        "// a comment line, ignored\n"
        "$CATEGORY: tom/dick/harry\n"
        "\n"
        "// [tag:model-evaluation] [tag:supervised-learning]\n"
        "::Q1:: [html]<p>1+1=2</p> {T}\n"
        "\n"
        "// no tags here\n"
        "::Q2:: [markdown]*Two* {=2}\n"
    )

    first, second = (p.content for p in parsed)
    assert (first.category, second.category) == ("tom/dick/harry", "tom/dick/harry")
    assert first.tags == ("model-evaluation", "supervised-learning")
    assert second.tags == ()
    assert (first.stem_format, first.stem) == (TextFormat.HTML, "<p>1+1=2</p>")
    assert (second.stem_format, second.stem) == (TextFormat.MARKDOWN, "*Two*")
    assert [p.line for p in parsed] == [5, 8]


def test_problems_are_all_reported_with_their_lines():
    text = (
        "::ok:: 1+1=2 {T}\n"  # 1
        "\n"
        "::unclosed:: What? {=a ~b\n"  # 3
        "\n"
        "::nobody right:: Pick {~a ~b}\n"  # 5
        "\n"
        "::numbers::\n"  # 7
        "How many? {#\n"  # 8
        "=abc:1}\n"  # 9
        "\n"
        "::pairs:: Match {=a -> b =c}\n"  # 11
        "\n"
        "::weights:: Pick {~%60%a ~%60%b}\n"  # 13
        "\n"
        "::backwards:: Range {#5..1}\n"  # 15
    )

    assert problems(text) == [
        (3, "The answer block opened here is not closed with }."),
        (5, "No answer earns any credit."),
        (5, "The positive weights of a multiple-choice item must add up to 100%."),
        (9, "“abc” is not a number."),
        (11, "A matching pair without ->: write =question -> answer."),
        (13, "The positive weights of a multiple-choice item must add up to 100%."),
        (15, "The range 5..1 runs backwards."),
    ]


def test_unknown_answer_type_and_stray_braces():
    assert [line for line, _ in problems("Hello {what}\n\nBye }\n\nTwo {T} {F}\n")] == [1, 3, 5]


def test_an_empty_file_has_no_items():
    assert parse_gift("// only a comment\n\n\n") == []


# --- round trips ------------------------------------------------------------------------------


def test_export_of_the_documented_examples_reads_back_the_same():
    text = (
        "$CATEGORY: tom/dick/harry\n\n"
        "::Q1:: 1+1=2 {T}\n\n"
        "Grant is {~buried =entombed ~living} in Grant's tomb.\n\n"
        "::Q7:: When was Ulysses S. Grant born? {# =1822:0 # Correct! =%50%1822:2 # Close.}\n\n"
        "::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }\n\n"
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.\n"
    )
    contents = [p.content for p in parse_gift(text)]

    assert [p.content for p in parse_gift(write_gift(contents))] == contents


@settings(max_examples=300, deadline=None)
@given(st.lists(items(gift=True), max_size=5))
def test_import_of_an_export_gives_the_same_items(contents):
    assert [p.content for p in parse_gift(write_gift(contents))] == contents


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_problems_never_crashes(text):
    try:
        parsed = parse_gift(text)
    except ItemFileError as exc:
        assert exc.problems
        assert all(1 <= p.line <= text.count("\n") + 1 for p in exc.problems)
    else:
        assert all(p.content.stem for p in parsed)
