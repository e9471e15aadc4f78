"""Modified-Angoff standard setting as pure rules (decision 0018)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.psychometrics.policy import (
    MIN_PANELLISTS,
    Adoption,
    Panel,
    intraclass_correlation,
    may_adopt,
    may_recommend,
    percent_of,
    recommend,
)


def panel(rows: list[list[float | None]]) -> Panel:
    return Panel(
        panellists=tuple(f"p{i}" for i in range(len(rows))),
        items=tuple(f"i{j}" for j in range(len(rows[0]))),
        ratings=tuple(tuple(row) for row in rows),
    )


def test_the_cut_is_the_sum_of_the_mean_ratings_with_its_standard_error():
    result = recommend(panel([[0.6, 0.7, 0.8, 0.5], [0.5, 0.6, 0.7, 0.6], [0.7, 0.8, 0.9, 0.4]]))

    assert result.cuts == pytest.approx((2.6, 2.4, 2.8))
    assert result.raw_cut == pytest.approx(2.6)
    assert result.percent_cut == Decimal("65.00")
    assert result.sd_of_cuts == pytest.approx(0.2)
    assert result.standard_error == pytest.approx(0.2 / math.sqrt(3))
    assert result.standard_error_percent == pytest.approx(100 * 0.2 / math.sqrt(3) / 4)
    assert result.item_means == pytest.approx((0.6, 0.7, 0.8, 0.5))


def test_icc_matches_shrout_and_fleiss_table_4():
    # Shrout & Fleiss (1979), Table 2: six targets rated by four judges; ICC(2,1) = .29,
    # ICC(2,4) = .62 (Table 4).
    table = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
        dtype=float,
    )

    agreement = intraclass_correlation(table)

    assert agreement.icc_single == pytest.approx(0.29, abs=0.005)
    assert agreement.icc_average == pytest.approx(0.62, abs=0.005)


def test_identical_ratings_everywhere_leave_agreement_undefined():
    result = recommend(panel([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]))

    assert (result.agreement.icc_single, result.agreement.icc_average) == (None, None)
    assert result.standard_error == 0


ratings = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def panels(draw: st.DrawFn) -> list[list[float]]:
    items = draw(st.integers(1, 12))
    panellists = draw(st.integers(MIN_PANELLISTS, 8))
    return [draw(st.lists(ratings, min_size=items, max_size=items)) for _ in range(panellists)]


@given(panels(), st.randoms())
def test_the_cut_is_on_the_form_and_does_not_depend_on_the_panels_order(rows, rng):
    result = recommend(panel(rows))
    shuffled = list(rows)
    rng.shuffle(shuffled)
    again = recommend(panel(shuffled))

    items = len(rows[0])
    assert -1e-9 <= result.raw_cut <= items + 1e-9
    assert Decimal(0) <= result.percent_cut <= Decimal(100)
    assert result.standard_error >= 0
    assert again.raw_cut == pytest.approx(result.raw_cut)
    assert again.standard_error == pytest.approx(result.standard_error, abs=1e-12)
    assert sorted(again.cuts) == pytest.approx(sorted(result.cuts))
    if result.agreement.icc_single is not None:
        assert again.agreement.icc_single == pytest.approx(result.agreement.icc_single)
        assert result.agreement.icc_single <= 1 + 1e-9


@given(st.floats(0, 60, allow_nan=False), st.integers(60, 60))
def test_percent_of_a_raw_score_stays_in_0_to_100(raw, items):
    assert Decimal(0) <= percent_of(raw, items) <= Decimal(100)


def test_too_small_a_panel_is_refused_with_the_number_needed():
    decision = may_recommend(panel([[0.5, 0.6], [0.5, 0.6]]))

    assert not decision.allowed
    assert decision.rule == "R4"
    assert str(MIN_PANELLISTS) in decision.reason
    with pytest.raises(ValueError):
        recommend(panel([[0.5, 0.6], [0.5, 0.6]]))


def test_missing_ratings_are_counted_in_the_refusal():
    decision = may_recommend(panel([[0.5, None], [0.5, 0.6], [None, 0.6]]))

    assert not decision.allowed
    assert "2 ratings are still missing" in decision.reason


def test_a_form_without_items_can_never_be_rated():
    decision = may_recommend(Panel(("a", "b", "c"), (), ((), (), ())))

    assert not decision.allowed and decision.never


def test_adoption_needs_a_calibration_and_happens_once():
    complete = panel([[0.5, 0.6], [0.5, 0.6], [0.7, 0.6]])

    assert may_adopt(Adoption(calibrated=True, already_adopted=False), complete).allowed
    uncalibrated = may_adopt(Adoption(calibrated=False, already_adopted=False), complete)
    assert not uncalibrated.allowed and "calibration" in uncalibrated.reason
    again = may_adopt(Adoption(calibrated=True, already_adopted=True), complete)
    assert not again.allowed and again.never
    incomplete = panel([[0.5, None], [0.5, 0.6], [0.7, 0.6]])
    assert not may_adopt(Adoption(calibrated=True, already_adopted=False), incomplete).allowed
