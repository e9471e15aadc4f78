"""Rules C1 and C2 over plain data: each refusal names its rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credence.challenges.policy import ItemFacts, last_day_to_challenge, may_challenge
from credence.credentials.policy import CertificateRecord, resting_on
from credence.items.content import Choice, ItemContent, ItemType
from credence.items.policy import may_rule
from credence.items.scoring import earned, ruled

from tests.support import ai_engineer_rules

SUBMITTED = date(2026, 3, 2)
OPEN = ItemFacts(submitted_on=SUBMITTED, on_form=True, challenged=False, decided=False)


@given(st.integers(0, 60), st.integers(1, 60))
def test_c1_allows_exactly_within_the_window(days_after, window):
    decision = may_challenge(OPEN, SUBMITTED + timedelta(days=days_after), window)

    assert decision.allowed == (days_after <= window)
    assert decision.rule == "C1"
    if not decision.allowed:
        assert "ended on" in decision.reason


def test_c1_once_per_item_after_submitting_and_before_a_decision():
    today = SUBMITTED + timedelta(days=1)
    cases = {
        "once the test is submitted": ItemFacts(None, True, False, False),
        "no such item": ItemFacts(SUBMITTED, False, False, False),
        "challenged this item already": ItemFacts(SUBMITTED, True, True, False),
        "the decision stands": ItemFacts(SUBMITTED, True, False, True),
    }
    for words, facts in cases.items():
        decision = may_challenge(facts, today, 14)
        assert (decision.allowed, decision.rule) == (False, "C1")
        assert words in decision.reason
    assert last_day_to_challenge(SUBMITTED, 14) == date(2026, 3, 16)


ITEM = ItemContent(
    type=ItemType.SINGLE_CHOICE,
    stem="Which?",
    choices=(Choice("right", Decimal(1)), Choice("wrong"), Choice("other")),
)


def test_c2_a_decision_must_fit_the_item():
    assert may_rule("keep", [], "single_choice", 3).allowed
    assert may_rule("drop", [], "essay", 0).allowed
    assert may_rule("rekey", [1], "true_false", 2).allowed
    assert may_rule("accept", [0, 2], "single_choice", 3).allowed
    refusals = [
        may_rule("keep", [1], "single_choice", 3),
        may_rule("rekey", [0, 1], "single_choice", 3),
        may_rule("rekey", [3], "single_choice", 3),
        may_rule("accept", [1], "single_choice", 3),
        may_rule("accept", [1, 1], "single_choice", 3),
        may_rule("rekey", [0], "multiple_choice", 3),
        may_rule("guess", [], "single_choice", 3),
    ]
    assert all(not r.allowed and r.rule == "C2" for r in refusals)


def test_a_ruling_changes_what_each_answer_earns():
    rekeyed = ruled(ITEM, "rekey", [1])
    accepted = ruled(ITEM, "accept", [0, 2])
    assert [earned(rekeyed, {"choice": i}) for i in range(3)] == [0, 1, 0]
    assert [earned(accepted, {"choice": i}) for i in range(3)] == [1, 0, 1]
    assert ruled(ITEM, "keep", []) == ITEM
    assert ruled(ITEM, "drop", []) is None


def test_c2_withdraws_the_certificate_a_pass_earned_and_a_composite_resting_on_it():
    program = ai_engineer_rules()
    day = date(2026, 1, 10)

    def held(award: str, issued: date) -> CertificateRecord:
        return CertificateRecord(award, issued, issued + timedelta(days=3 * 365))

    six = [
        held(code, day + timedelta(days=i))
        for i, code in enumerate(
            ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp", "generative-ai"]
        )
    ]
    composite = held(program.composite.code, day + timedelta(days=5))
    # ML Expert is required: the composite issued after it rests on it
    assert resting_on(program, [*six, composite], "ml-expert", day) == [six[0], composite]
    # one elective of four: the other three still hold the composite
    seventh = held("multimodal-ml", day - timedelta(days=30))
    assert resting_on(program, [seventh, *six, composite], "nlp", day) == [six[4]]
    # a certificate issued before the pass, or revoked already, rested on nothing
    assert resting_on(program, six, "ml-expert", day + timedelta(days=1)) == []
    revoked = CertificateRecord("ml-expert", day, day, revoked_on=day)
    assert resting_on(program, [revoked], "ml-expert", day) == []
