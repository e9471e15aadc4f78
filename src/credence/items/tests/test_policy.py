"""Drawing forms by the blueprint, as properties over plain data."""

from __future__ import annotations

from collections import Counter
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.core.decisions import Allowed, Refused
from credence.items.content import ItemType
from credence.items.policy import (
    BankItem,
    BankTooSmall,
    Blueprint,
    bank_refusal,
    draw_form,
    is_drawable,
    may_draw_forms,
)

TOPICS = ("a", "b", "c")
KINDS = [ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE, ItemType.MATCHING, ItemType.NUMERIC]


def bank_of(counts: dict[str, int], start: int = 1) -> list[BankItem]:
    items, n = [], start
    for topic, count in counts.items():
        for _ in range(count):
            kind = KINDS[n % len(KINDS)]
            options = {ItemType.TRUE_FALSE: 2, ItemType.NUMERIC: 0}.get(kind, 4)
            items.append(BankItem(n, n * 10, kind, (topic,), options))
            n += 1
    return items


def blueprint(**counts: int) -> Blueprint:
    return Blueprint(90, MappingProxyType(counts))


@st.composite
def scenarios(draw):
    needed = {t: draw(st.integers(0, 5)) for t in TOPICS}
    in_bank = {t: needed[t] + draw(st.integers(0, 6)) for t in TOPICS}
    bank = bank_of(in_bank)
    seen = frozenset(draw(st.sets(st.sampled_from([i.item_id for i in bank]))) if bank else ())
    return needed, bank, seen, draw(st.text(max_size=8))


@given(scenarios())
def test_the_form_follows_the_blueprint_without_repeats(scenario):
    needed, bank, seen, seed = scenario

    form = draw_form(blueprint(**needed), bank, seen_items=seen, seed=seed)

    assert Counter(f.topic for f in form.items) == Counter({t: n for t, n in needed.items() if n})
    assert len({f.item_id for f in form.items}) == len(form.items)


@given(scenarios())
def test_seen_items_are_drawn_only_when_the_unseen_run_out(scenario):
    needed, bank, seen, seed = scenario

    form = draw_form(blueprint(**needed), bank, seen_items=seen, seed=seed)

    for topic, count in needed.items():
        unseen = [i for i in bank if topic in i.topics and i.item_id not in seen]
        drawn = [f for f in form.items if f.topic == topic]
        reused = [f for f in drawn if f.item_id in seen]
        assert len(reused) == max(0, count - len(unseen))
    assert form.reused == sum(1 for f in form.items if f.item_id in seen)


@given(scenarios())
def test_options_are_a_permutation_and_true_false_keeps_its_order(scenario):
    needed, bank, seen, seed = scenario
    by_id = {i.item_id: i for i in bank}

    form = draw_form(blueprint(**needed), bank, seen_items=seen, seed=seed)

    for f in form.items:
        item = by_id[f.item_id]
        assert f.version_id == item.version_id
        assert sorted(f.option_order) == list(range(item.options))
        if item.type == ItemType.TRUE_FALSE:
            assert f.option_order == (0, 1)


def test_the_draw_is_reproducible_from_its_seed_and_differs_between_candidates():
    bank = bank_of({"a": 30, "b": 30})
    plan = blueprint(a=10, b=10)

    first = draw_form(plan, bank, seen_items=frozenset(), seed="attempt-1")

    assert draw_form(plan, list(reversed(bank)), seen_items=frozenset(), seed="attempt-1") == first
    assert draw_form(plan, bank, seen_items=frozenset(), seed="attempt-2") != first


def test_descriptions_are_never_drawn_and_a_small_bank_says_what_is_missing():
    bank = [*bank_of({"a": 2}), BankItem(99, 990, ItemType.DESCRIPTION, ("a",), 0)]

    with pytest.raises(BankTooSmall) as caught:
        draw_form(blueprint(a=3, b=1), bank, seen_items=frozenset(), seed="s")

    assert caught.value.shortfalls == {"a": (3, 2), "b": (1, 0)}


# --- may a session hold the test: the office's check before anyone books (R11) ---------------


def drawable_in(bank: list[BankItem]) -> Counter[str]:
    return Counter(topic for item in bank if is_drawable(item) for topic in item.topics)


def test_a_bank_short_of_a_topic_is_refused_with_what_is_missing_per_topic():
    bank = [*bank_of({"b": 5}), BankItem(99, 990, ItemType.DESCRIPTION, ("a",), 0)]

    decision = may_draw_forms("ML Expert", blueprint(a=20, b=5, c=2), drawable_in(bank))

    assert decision == Refused(
        rule="R11",
        reason="The item bank of ML Expert cannot fill a test form: "
        "a: 20 items needed, 0 in the bank; c: 2 items needed, 0 in the bank.",
    )


def test_a_bank_that_fills_every_topic_may_hold_the_test():
    decision = may_draw_forms(
        "ML Expert", blueprint(a=3, b=1), drawable_in(bank_of({"a": 3, "b": 4}))
    )

    assert decision == Allowed(rule="R11")


def test_the_office_and_the_proctor_read_the_same_sentence():
    bank = bank_of({"a": 2})
    with pytest.raises(BankTooSmall) as caught:
        draw_form(blueprint(a=3), bank, seen_items=frozenset(), seed="s")

    at_check_in = bank_refusal("ML Expert", caught.value.shortfalls)

    assert at_check_in == may_draw_forms("ML Expert", blueprint(a=3), drawable_in(bank))
    assert str(caught.value) in at_check_in.reason


def test_the_refusal_names_each_topic_by_its_name_where_it_has_one():
    decision = may_draw_forms(
        "ML Expert",
        blueprint(a=3, b=2),
        drawable_in(bank_of({"a": 1})),
        {"a": "Supervised learning"},
    )

    assert isinstance(decision, Refused)
    assert "Supervised learning: 3 items needed, 1 in the bank" in decision.reason
    assert "b: 2 items needed, 0 in the bank" in decision.reason  # no name: its code


@st.composite
def single_topic_banks(draw):
    needed = {t: draw(st.integers(0, 5)) for t in TOPICS}
    bank = bank_of({t: draw(st.integers(0, 7)) for t in TOPICS})
    seen = frozenset(draw(st.sets(st.sampled_from([i.item_id for i in bank]))) if bank else ())
    return needed, bank, seen


@given(single_topic_banks(), st.text(max_size=8))
def test_what_the_office_allows_every_check_in_can_draw(scenario, seed):
    # with one topic per item the office's count is exact: a form can be drawn for every
    # candidate (whatever they saw before) exactly when the session was allowed
    needed, bank, seen = scenario
    plan = blueprint(**needed)

    allowed = may_draw_forms("X", plan, drawable_in(bank)).allowed

    try:
        draw_form(plan, bank, seen_items=seen, seed=seed)
    except BankTooSmall:
        drawn = False
    else:
        drawn = True
    assert drawn == allowed
