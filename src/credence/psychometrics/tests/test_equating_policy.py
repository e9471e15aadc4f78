"""Whether a form can be equated under the adopted standard, and whether a standard may be
adopted while a session is half released, as pure rules (decision 0043)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credence.psychometrics.policy import Adoption, FormCoverage, Panel, may_adopt, may_equate

COMPLETE = Panel(("p0", "p1", "p2"), ("i0", "i1"), ((0.5, 0.6), (0.5, 0.6), (0.7, 0.6)))


def test_a_covered_form_with_items_to_score_is_equated():
    assert may_equate(FormCoverage(calibrated=True, uncovered=(), scored=60)).allowed


def test_without_a_calibration_on_the_standards_scale_nothing_is_equated():
    decision = may_equate(FormCoverage(calibrated=False, uncovered=(), scored=0))
    assert not decision.allowed and decision.rule == "R4"
    assert "not released" in decision.reason and "Calibrate again" in decision.reason


def test_items_off_the_scale_are_named_and_the_result_waits():
    decision = may_equate(FormCoverage(True, ("Bias v2", "Drift v1"), 58))
    assert not decision.allowed
    assert "Bias v2, Drift v1" in decision.reason and "not released" in decision.reason
    # not for ever: a new calibration that covers them lifts it
    assert not decision.never


def test_a_form_whose_every_item_is_excluded_waits_for_acceptance():
    decision = may_equate(FormCoverage(True, (), 0))
    assert not decision.allowed and "accepts" in decision.reason


@given(
    st.booleans(),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map(tuple),
    st.integers(0, 60),
)
def test_a_form_is_equated_exactly_when_calibrated_covered_and_scored(calibrated, missing, n):
    decision = may_equate(FormCoverage(calibrated, missing, n))
    assert decision.allowed == (calibrated and not missing and n > 0)
    assert decision.rule == "R4"


def test_no_new_standard_while_a_session_is_half_released():
    half = Adoption(calibrated=True, already_adopted=False, part_released=("HPI · 2 March",))
    decision = may_adopt(half, COMPLETE)
    assert not decision.allowed and "HPI · 2 March" in decision.reason
    assert not decision.never
    assert may_adopt(Adoption(calibrated=True, already_adopted=False), COMPLETE).allowed
