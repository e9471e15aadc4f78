"""What an answer earns, per item type; never below 0 or above 1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.items.content import FULL, NONE, ItemType
from credence.items.gift import parse_gift
from credence.items.scoring import check_answer, earned
from credence.items.tests.strategies import items


def item(text):
    return parse_gift(text)[0].content


GRANT = item(
    "What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant "
    "~%50%Grant's wife ~%-100%Grant's father}"
)


@pytest.mark.parametrize(
    ("text", "answer", "share"),
    [
        ("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}", {"choice": 2}, FULL),
        ("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}", {"choice": 0}, NONE),
        ("The sun rises in the east.{T}", {"choice": 0}, FULL),
        ("The sun rises in the east.{T}", {"choice": 1}, NONE),
        ("Two plus {=two =2} equals four.", {"text": "  TWO "}, FULL),
        ("Name one: {=Ulysses * Grant =%50%Grant}", {"text": "Ulysses S. Grant"}, FULL),
        ("Name one: {=Ulysses * Grant =%50%Grant}", {"text": "grant"}, Decimal("0.5")),
        ("Name one: {=Ulysses * Grant =%50%Grant}", {"text": "Lincoln"}, NONE),
        ("Pi? {#3.141..3.142}", {"value": "3.1416"}, FULL),
        ("Pi? {#3.141..3.142}", {"value": "3,1419"}, FULL),
        ("Pi? {#3.141..3.142}", {"value": "3.15"}, NONE),
        ("Born? {# =1822:0 =%50%1822:2}", {"value": "1821"}, Decimal("0.5")),
        ("Match {=cat -> cat food =dog -> dog food}", {"matches": {"0": 0, "1": 1}}, FULL),
        ("Match {=cat -> cat food =dog -> dog food}", {"matches": {"0": 0}}, Decimal("0.5")),
        ("Match {=cat -> cat food =dog -> dog food}", {"matches": {"0": 1, "1": 0}}, NONE),
        ("Anything? {T}", None, NONE),
    ],
)
def test_documented_examples_score_as_expected(text, answer, share):
    assert earned(item(text), answer) == share


def test_partial_credit_and_negative_weights_stay_within_zero_and_one():
    assert earned(GRANT, {"choices": [1, 2]}) == FULL
    assert earned(GRANT, {"choices": [1]}) == Decimal("0.5")
    assert earned(GRANT, {"choices": [0, 1]}) == NONE
    assert earned(GRANT, {"choices": [0, 3]}) == NONE


def test_an_essay_is_marked_by_an_author():
    assert earned(item("How are you? {}"), {"text": "fine"}) is None


@pytest.mark.parametrize(
    "answer",
    [{"choice": 4}, {"choice": "1"}, {"choices": [1, 1]}, {"text": "x"}, [], {"choice": True}],
)
def test_answers_that_do_not_fit_the_item_are_refused(answer):
    assert check_answer(GRANT, answer) is not None
    assert earned(GRANT, answer) == NONE


@given(items(), st.data())
def test_any_fitting_answer_earns_between_zero_and_one(content, data):
    kind = content.type
    if kind in (ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE):
        answer = {"choice": data.draw(st.integers(0, len(content.choices) - 1))}
    elif kind == ItemType.MULTIPLE_CHOICE:
        indexes = st.integers(0, len(content.choices) - 1)
        answer = {"choices": data.draw(st.lists(indexes, unique=True))}
    elif kind == ItemType.NUMERIC:
        answer = {"value": str(data.draw(st.decimals(-1000, 1000, places=2)))}
    else:
        answer = {"text": data.draw(st.text(max_size=20))}
    if check_answer(content, answer) is None:
        share = earned(content, answer)
        assert share is None or NONE <= share <= FULL
