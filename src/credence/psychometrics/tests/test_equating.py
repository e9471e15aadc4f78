"""IRT true-score equating through the bank's θ scale (decisions 0019, 0043)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.psychometrics import irt
from credence.psychometrics.equating import (
    THETA_BOUND,
    equated_percent,
    expected_raw,
    full_marks,
    raw_cut_on_form,
    theta_for_raw,
)

RNG = np.random.default_rng(7)
BANK_A = RNG.uniform(0.6, 2.0, 90)
BANK_B = RNG.normal(0, 1, 90)
EASY = (BANK_A[:30], np.sort(BANK_B)[:30])  # the 30 easiest items of the bank
HARD = (BANK_A[60:], np.sort(BANK_B)[60:])
REFERENCE = (BANK_A[30:60], BANK_B[30:60])


@given(st.floats(-4, 4))
def test_theta_for_raw_inverts_the_characteristic_curve(theta):
    a, b = REFERENCE
    assert theta_for_raw(expected_raw(theta, a, b), a, b) == pytest.approx(theta, abs=1e-6)


def test_the_ends_of_the_raw_scale_map_to_the_bounds():
    a, b = REFERENCE
    assert theta_for_raw(0, a, b) == -THETA_BOUND
    assert theta_for_raw(len(a), a, b) == THETA_BOUND


@given(st.floats(-3, 3))
def test_the_same_ability_gets_the_same_equated_score_on_every_form(theta):
    on_easy = expected_raw(theta, *EASY)
    on_hard = expected_raw(theta, *HARD)

    easy = equated_percent(on_easy, EASY, REFERENCE)
    hard = equated_percent(on_hard, HARD, REFERENCE)

    assert on_easy > on_hard  # the same candidate scores more raw points on the easy form
    assert abs(easy - hard) <= Decimal("0.02")


def test_on_the_reference_form_the_equated_score_is_the_raw_percent():
    for raw in (3, 12.5, 21, 29):
        expected = Decimal(str(round(100 * raw / len(REFERENCE[0]), 2)))
        assert abs(equated_percent(raw, REFERENCE, REFERENCE) - expected) <= Decimal("0.01")


def test_nothing_right_is_zero_and_everything_right_is_full_marks():
    assert equated_percent(0, HARD, REFERENCE) == Decimal("0.00")
    assert equated_percent(30, EASY, REFERENCE) == Decimal("100.00")


@given(st.lists(st.floats(0, 30), min_size=2, max_size=2, unique=True))
def test_equating_keeps_the_order_of_raw_scores(pair):
    low, high = sorted(pair)
    assert equated_percent(low, HARD, REFERENCE) <= equated_percent(high, HARD, REFERENCE)


def test_a_cut_on_theta_asks_fewer_raw_points_on_a_hard_form():
    theta_cut = 0.3
    assert raw_cut_on_form(theta_cut, *HARD) < raw_cut_on_form(theta_cut, *EASY)
    # passing exactly at the form's raw cut is passing at the reference cut
    mark = equated_percent(raw_cut_on_form(theta_cut, *REFERENCE), REFERENCE, REFERENCE)
    at_cut = equated_percent(raw_cut_on_form(theta_cut, *HARD), HARD, REFERENCE)
    assert abs(at_cut - mark) <= Decimal("0.02")


def test_partial_credit_no_longer_carries_equated_scores_upward():
    """Candidates of known θ on a 30-item form where 4 in 10 wrong answers still earn half
    marks: the calibration's model counts those as wrong, so equating counts the items with
    full marks (decision 0043). Summing the shares instead put a score on the form's curve
    that the model never predicts and carried it about 11 points upward."""
    rng = np.random.default_rng(43)
    theta = rng.normal(0, 1, 2000)
    form = (BANK_A[:30], BANK_B[:30])
    p = irt.probability(theta, *form)
    full = rng.random(p.shape) < p
    half = ~full & (rng.random(p.shape) < 0.4)
    shares = np.where(full, 1.0, np.where(half, 0.5, 0.0))
    truth = 100 * irt.probability(theta, *REFERENCE).sum(axis=1) / 30

    def mean_equated(raw: list[float]) -> float:
        # a few dozen distinct raw scores: equate each once
        table = {r: float(equated_percent(r, form, REFERENCE)) for r in set(raw)}
        return float(np.mean([table[r] for r in raw]))

    counted = mean_equated([float(full_marks(list(row))) for row in shares])
    summed = mean_equated([float(row.sum()) for row in shares])
    # within one point of the percent the candidates' true abilities give on the reference
    # form: the standard error of a mean over 2000 candidates is about 0.4, and true-score
    # equating of observed scores adds a few tenths at most
    assert abs(counted - truth.mean()) < 1.0
    assert summed - truth.mean() > 5.0


def test_full_marks_counts_only_items_answered_for_full_marks():
    shares = [Decimal(1), Decimal("0.5"), Decimal("0.99"), None, Decimal(0), 1.0]
    assert full_marks(shares) == 2
