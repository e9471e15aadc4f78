"""Moodle's own GIFT tests (question/format/gift/tests/giftformat_test.php and its fixtures,
read at moodle/moodle 3d51aed): every case of a question type Credence delivers, as the GIFT
text Moodle reads (or writes, for its export cases) → the ``ItemContent`` Credence reads.

Deliberate differences (docs/decisions/0012): the text format of an answer, feedback or
matching prompt (``[html]red``) is read and not kept; ``[id:...]`` is not kept (an item is
identified by its name); Moodle's multiple-choice numbering style is a display setting.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from credence.items.content import (
    FALSE,
    FULL,
    NONE,
    TRUE,
    Choice,
    ItemContent,
    ItemFileError,
    ItemType,
    NumericAnswer,
    Pair,
    TextFormat,
)
from credence.items.gift import parse_gift, write_gift
from credence.items.scoring import earned

FIXTURES = Path(__file__).parent / "files" / "moodle"
HALF = Decimal("0.5")


def one(text: str) -> ItemContent:
    (parsed,) = parse_gift(text)
    return parsed.content


def reads_back(content: ItemContent) -> None:
    """Credence's own export of what it read reads back the same."""
    assert [p.content for p in parse_gift(write_gift([content]))] == [content]


ESSAY = ItemContent(type=ItemType.ESSAY, stem="How are you?", name="Q8")


def test_import_essay():
    item = one("\n// essay\n::Q8:: How are you? {}")

    assert item == ESSAY
    reads_back(item)


def test_export_essay():
    assert one("// question: 666  name: Q8\n::Q8::How are you?{}\n\n") == ESSAY


ACTIVITIES = (
    "An activity supporting asynchronous discussions.",
    "A teacher asks a question and specifies a choice of multiple responses.",
    "A bank of record entries which participants can add to.",
    "A collection of web pages that anyone can add to or edit.",
)
MATCH = ItemContent(
    type=ItemType.MATCHING,
    name="Moodle activities",
    stem="Match the <b>activity</b> to the description.",
    stem_format=TextFormat.HTML,
    pairs=(
        Pair(ACTIVITIES[0], "Forum"),
        Pair(ACTIVITIES[1], "Choice"),
        Pair(ACTIVITIES[2], "Database"),
        Pair(ACTIVITIES[3], "Wiki"),
        Pair("", "Chat"),  # a distractor answer
    ),
)


def test_import_match():
    item = one(
        "\n// question: 2  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        f"    =[html]{ACTIVITIES[0]} -> Forum\n"
        f"    =[moodle]{ACTIVITIES[1]} -> Choice\n"
        f"    =[plain]{ACTIVITIES[2]} -> Database\n"
        f"    =[markdown]{ACTIVITIES[3]} -> Wiki\n"
        "    = -> Chat\n}"
    )

    assert item == MATCH
    reads_back(item)


def test_export_match():
    item = one(
        "// question: 666  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        f'\t=<div class\\="frog">{ACTIVITIES[0]}</div> -> Forum\n'
        f"\t=[moodle]{ACTIVITIES[1]} -> Choice\n"
        f"\t=[plain]{ACTIVITIES[2]} -> Database\n"
        f"\t=[markdown]{ACTIVITIES[3]} -> Wiki\n"
        "\t= -> Chat\n}\n\n"
    )

    assert item.pairs[0] == Pair(f'<div class="frog">{ACTIVITIES[0]}</div>', "Forum")
    assert item.pairs[1:] == MATCH.pairs[1:]


SPECTRUM = "What's between orange and green in the spectrum?"


def test_import_multichoice():
    # Moodle runs this once per numbering style (abc, ABCD, 123, …): a display setting
    item = one(
        "\n// multiple choice with specified feedback for right and wrong answers\n"
        f"::Q2:: {SPECTRUM}\n{{\n"
        "    =yellow # right; good!\n"
        "    ~red # [html]wrong, it's yellow\n"
        "    ~[plain]blue # wrong, it's yellow\n}"
    )

    assert item == ItemContent(
        type=ItemType.SINGLE_CHOICE,
        name="Q2",
        stem=SPECTRUM,
        choices=(
            Choice("yellow", FULL, "right; good!"),
            Choice("red", NONE, "wrong, it's yellow"),
            Choice("blue", NONE, "wrong, it's yellow"),
        ),
    )
    reads_back(item)


def test_import_multichoice_multi():
    item = one(
        "\n// multiple choice, multiple response with specified feedback for right and wrong "
        f"answers\n::colours:: {SPECTRUM}\n{{\n"
        "    ~%50%yellow # right; good!\n"
        "    ~%-100%red # [html]wrong\n"
        "    ~%50%off-beige # right; good!\n"
        "    ~%-100%[plain]blue # wrong\n}"
    )

    assert item == ItemContent(
        type=ItemType.MULTIPLE_CHOICE,
        name="colours",
        stem=SPECTRUM,
        choices=(
            Choice("yellow", HALF, "right; good!"),
            Choice("red", -FULL, "wrong"),
            Choice("off-beige", HALF, "right; good!"),
            Choice("blue", -FULL, "wrong"),
        ),
    )
    reads_back(item)


TRICKY = ItemContent(
    type=ItemType.MULTIPLE_CHOICE,
    name="colours",
    stem=SPECTRUM,
    choices=(
        Choice("yellow", FULL, "right; good!"),
        Choice("red", -HALF, "wrong"),
        Choice("blue", -HALF, "wrong"),
    ),
)


def test_import_multichoice_multi_tricky():
    item = one(
        f"\n// multiple choice, multiple response\n::colours:: {SPECTRUM}\n{{\n"
        "    ~%100%yellow # right; good!\n    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}"
    )

    assert item == TRICKY
    reads_back(item)


def test_export_multichoice():
    item = one(
        f"// question: 666  name: Q8\n::Q8::{SPECTRUM}{{\n"
        "\t=yellow#right; good!\n"
        "\t~red#[html]wrong, it's yellow\n"
        "\t~[plain]blue#wrong, it's yellow\n}\n\n"
    )

    assert item.type == ItemType.SINGLE_CHOICE
    assert item.choices == (
        Choice("yellow", FULL, "right; good!"),
        Choice("red", NONE, "wrong, it's yellow"),
        Choice("blue", NONE, "wrong, it's yellow"),
    )


def test_export_multichoice_multi_tricky():
    item = one(
        f"// question: 666  name: Q8\n::Q8::{SPECTRUM}{{\n"
        "\t~%100%yellow#right; good!\n"
        "\t~%-50%red#wrong, it's yellow\n"
        "\t~%-50%blue#wrong, it's yellow\n}\n\n"
    )

    assert item.type == ItemType.MULTIPLE_CHOICE
    assert [(c.text, c.fraction) for c in item.choices] == [
        ("yellow", FULL),
        ("red", -HALF),
        ("blue", -HALF),
    ]


NUMERICAL = ItemContent(
    type=ItemType.NUMERIC,
    name="Q5",
    stem="What is a number from 1 to 5?",
    numeric=(
        NumericAnswer(Decimal(3), Decimal(2), FULL),
        NumericAnswer(None, NONE, NONE, "Completely wrong"),  # Moodle's "*"
    ),
)


def test_import_numerical_with_feedback_for_any_other_answer():
    item = one(
        "\n// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}"
    )

    assert item == NUMERICAL
    reads_back(item)
    assert earned(item, {"value": "4.5"}) == FULL
    assert earned(item, {"value": "7"}) == NONE


def test_export_numerical():
    item = one(
        "// question: 666  name: Q5\n::Q5::What is a number from 1 to 5?{#\n"
        "\t=%100%3:2#\n\t~#Completely wrong\n}\n\n"
    )

    assert item == NUMERICAL


SHORT = ItemContent(
    type=ItemType.SHORT_ANSWER,
    name="Shortanswer",
    stem="Which is the best animal?",
    choices=(
        Choice("Frog", FULL, "Good!"),
        Choice("Cat", HALF, "What is it with Moodlers and cats?"),
        Choice("*", NONE, "Completely wrong"),
    ),
)


def test_import_shortanswer():
    item = one(
        "\n// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "    =Frog#Good!\n    =%50%Cat#What is it with Moodlers and cats?\n"
        "    =%0%*#Completely wrong\n}"
    )

    assert item == SHORT
    reads_back(item)
    assert earned(item, {"text": "cat"}) == HALF


def test_import_shortanswer_with_general_feedback():
    item = one(
        "\n// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "    =Frog#Good!\n    =%50%Cat#What is it with Moodlers and cats?\n"
        "    =%0%*#Completely wrong\n    ####[html]Here is some general feedback!\n}"
    )

    assert item == replace(SHORT, general_feedback="Here is some general feedback!")
    reads_back(item)


def test_export_shortanswer():
    item = one(
        "// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "\t=%100%Frog#Good!\n\t=%50%Cat#What is it with Moodlers and cats?\n"
        "\t=%0%*#Completely wrong\n}\n\n"
    )

    assert item == SHORT


def test_export_shortanswer_with_general_feedback():
    item = one(
        "// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "\t=%100%Frog#Good!\n\t=%50%Cat#What is it with Moodlers and cats?\n"
        "\t=%0%*#Completely wrong\n\t####[html]Here is some general feedback!\n}\n\n"
    )

    assert item.choices == SHORT.choices
    assert item.general_feedback == "Here is some general feedback!"


def test_import_truefalse():
    item = one(
        "\n// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}"
    )

    # Moodle: correctanswer 0, feedbacktrue the first (wrong) text, feedbackfalse the second
    assert item == ItemContent(
        type=ItemType.TRUE_FALSE,
        name="Q1",
        stem="42 is the Absolute Answer to everything.",
        choices=(
            Choice(TRUE, NONE, "42 is the Ultimate Answer."),
            Choice(FALSE, FULL, "You gave the right answer."),
        ),
    )
    reads_back(item)


@pytest.mark.parametrize("answer", ["T", "TRUE"])
def test_import_truefalse_true_answer(answer):
    item = one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{answer}}}")

    assert item == ItemContent(
        type=ItemType.TRUE_FALSE,
        name="2-08 TSL",
        stem="TSL is blablabla.",
        choices=(Choice(TRUE, FULL), Choice(FALSE, NONE)),
    )


def test_export_truefalse():
    item = one(
        "// question: 666  name: Q1\n::Q1::42 is the Absolute Answer to everything."
        "{TRUE#[html]42 is the Ultimate Answer.#You gave the right answer.}\n\n"
    )

    assert item.choices == (
        Choice(TRUE, FULL, "You gave the right answer."),
        Choice(FALSE, NONE, "42 is the Ultimate Answer."),
    )


@pytest.mark.parametrize(
    ("case", "gift"),
    [
        # MDL-34171: \\ is one backslash, both ways
        (
            "export_backslash",
            "// question: 666  name: backslash\n::backslash::A \\\\ B \\\\\\\\ C{}",
        ),
        ("import_backslash", "\n// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}"),
    ],
)
def test_backslash(case, gift):
    item = one(gift)

    assert (item.type, item.stem) == (ItemType.ESSAY, "A \\ B \\\\ C")
    reads_back(item)


def test_import_pre_content():
    item = one(
        "\n::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
        "    public void test() \\{\n        method1();\n        method2();\n"
        "        method3();\n    \\}\n</pre>\n{}"
    )

    assert item == ItemContent(
        type=ItemType.ESSAY,
        name="Q001",
        stem_format=TextFormat.HTML,
        stem="<p>What would running the test method print?</p>\n<pre>\n"
        "    public void test() {\n        method1();\n        method2();\n"
        "        method3();\n    }\n</pre>",
    )
    reads_back(item)


def test_import_question_with_tags():
    item = one(
        "\n// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n::Question name:: How are you? {}"
    )

    assert item == ItemContent(
        type=ItemType.ESSAY, name="Question name", stem="How are you?", tags=("tag", "other-tag")
    )


@pytest.mark.parametrize(
    ("comment", "tags"),
    [
        ("", ()),  # blank comment
        ("// A basic comment.", ()),
        ("// A comment with [id:frog] <-- an idnumber.", ()),
        ("// Look tags: [tag:frog] [tag:toad].", ("frog", "toad")),
        ("// [tag:add] [tag:basic] [id:four]", ("add", "basic")),
        (
            "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.",
            ("basic", "add"),
        ),
        ("// Ceci n'est pas une [tag:\n// \\ frog].", ()),  # split over a line
        ("// [id:i\\]d].", ()),
        ("// [tag:t\\]ag].", ("t]ag",)),
    ],
)
def test_extract_idnumber_and_tags_from_comment(comment, tags):
    assert one(f"{comment}\nQ? {{}}").tags == tags


def test_export_question_with_tags_and_idnumber():
    item = one(
        "// question: 7  name: True/false question\n// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer."
        "#This is the right answer.####You should have selected true.}\n\n"
    )

    assert item == ItemContent(
        type=ItemType.TRUE_FALSE,
        name="True/false question",
        stem="The answer is true.",
        stem_format=TextFormat.HTML,
        choices=(
            Choice(TRUE, FULL, "This is the right answer."),
            Choice(FALSE, NONE, "This is the wrong answer."),
        ),
        general_feedback="You should have selected true.",
        tags=("tag1", "tag2"),
    )
    reads_back(item)


def test_fixture_questions():
    # Moodle's import behat test: "Importing 9 questions from file"
    parsed = parse_gift((FIXTURES / "questions.gift.txt").read_text(encoding="utf-8"))
    items = [p.content for p in parsed]

    assert [(i.name, i.type) for i in items] == [
        ("Q8", ItemType.ESSAY),
        ("Moodle activities", ItemType.MATCHING),
        ("Q2", ItemType.SINGLE_CHOICE),
        ("colours", ItemType.MULTIPLE_CHOICE),
        ("Q5", ItemType.NUMERIC),
        ("Shortanswer", ItemType.SHORT_ANSWER),
        ("Q1", ItemType.TRUE_FALSE),
        ("2-08 TSL", ItemType.TRUE_FALSE),
        ("2-08 TSL", ItemType.TRUE_FALSE),
    ]
    assert items[1] == MATCH
    # text after the answer block makes a gap, as in Moodle: here a stray '";'
    assert items[4] == replace(NUMERICAL, stem=NUMERICAL.stem + ' _____";')
    assert items[5] == SHORT
    assert items[6].general_feedback == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    assert items[6].stem == '42 is the Absolute Answer to everything._____";'


def test_fixture_questions_in_category():
    parsed = parse_gift((FIXTURES / "questions_in_category.gift.txt").read_text(encoding="utf-8"))
    items = [p.content for p in parsed]

    assert {i.category for i in items} == {"$course$/Default for New Features"}
    assert [(i.name, i.type) for i in items] == [
        ("Moodle activities", ItemType.MATCHING),
        ("Greeting", ItemType.SINGLE_CHOICE),
        ("Moodle user", ItemType.SHORT_ANSWER),
        ("Moodle acronym", ItemType.TRUE_FALSE),
    ]
    assert items[1].stem == (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
        "greeting:</a><br /><br />What language is being spoken?"
    )
    assert [c.text for c in items[1].choices if c.fraction == FULL] == ["French"]
    assert items[2].choices == (Choice("Moodler", FULL),)
    assert items[3].stem_format == TextFormat.HTML
    assert [p.content for p in parse_gift(write_gift(items))] == items


@pytest.mark.parametrize(
    ("gift", "problem"),
    [
        # Moodle: "giftnonumericalanswers"; Credence: nothing earns credit
        ("Pick one. {#~#Wrong}", "No numeric answer earns any credit."),
        # Moodle's reader turns any non-number into "*"; Credence names it
        ("How many? {#=many:1 ~#Wrong}", "“many” is not a number."),
    ],
)
def test_numerical_answers_moodle_would_accept_wrongly_are_problems(gift, problem):
    with pytest.raises(ItemFileError) as caught:
        parse_gift(gift)

    assert [(p.line, p.message) for p in caught.value.problems] == [(1, problem)]
