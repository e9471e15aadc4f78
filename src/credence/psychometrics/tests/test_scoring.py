"""Scoring: EAP and MLE abilities, information, test characteristic curve, score tables."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from credence.psychometrics.irt import probability
from credence.psychometrics.scoring import (
    MLE_BOUND,
    eap,
    mle,
    score_table,
    summed_score_likelihood,
)
from credence.psychometrics.scoring import test_characteristic as characteristic
from credence.psychometrics.scoring import test_information as information
from credence.psychometrics.simulation import simulate

A = np.array([0.8, 1.2, 1.5, 0.6, 2.0, 1.0])
B = np.array([-1.5, -0.5, 0.0, 0.3, 0.8, 1.6])


def test_eap_tracks_true_ability() -> None:
    data = simulate(2000, 40, seed=21)
    theta, se = eap(data.responses, data.a, data.b)
    assert np.corrcoef(theta, data.theta)[0, 1] > 0.9
    # The posterior SD is the error of EAP: their mean squares agree within 20%.
    assert np.mean((theta - data.theta) ** 2) == pytest.approx(np.mean(se**2), rel=0.2)


def test_eap_of_a_person_without_responses_is_the_prior() -> None:
    theta, se = eap(np.full((1, 6), np.nan), A, B)
    assert theta[0] == pytest.approx(0.0, abs=1e-12)
    assert se[0] == pytest.approx(1.0, abs=1e-3)


def test_mle_solves_the_likelihood_equation() -> None:
    pattern = np.array([[1, 1, 0, 1, 0, 0]], dtype=float)
    theta, se = mle(pattern, A, B)

    def score(t: float) -> float:
        return float(np.sum(A * (pattern[0] - probability(np.array([t]), A, B)[0])))

    assert theta[0] == pytest.approx(brentq(score, -6, 6), abs=1e-6)
    assert se[0] == pytest.approx(1 / np.sqrt(information(theta, A, B)[0]), rel=1e-9)


def test_mle_edge_cases() -> None:
    patterns = np.array(
        [
            [1, 1, 1, 1, 1, 1],  # all right: no finite MLE
            [0, 0, 0, 0, 0, 0],  # all wrong: no finite MLE
            [np.nan] * 6,  # nothing presented
            [1, np.nan, np.nan, np.nan, np.nan, np.nan],  # one right answer is all right
        ]
    )
    theta, se = mle(patterns, A, B)
    assert (theta[0], se[0]) == (MLE_BOUND, np.inf)
    assert (theta[1], se[1]) == (-MLE_BOUND, np.inf)
    assert np.isnan(theta[2]) and np.isnan(se[2])
    assert (theta[3], se[3]) == (MLE_BOUND, np.inf)
    # Mixed answers to items far above the bound: the MLE (near 9) is finite but reported at
    # the bound, with the SE from the information there.
    beyond = np.array([[1, 1, 1, 1, 1, 0]], dtype=float)
    theta, se = mle(beyond, A, B + 8)
    assert theta[0] == MLE_BOUND
    assert se[0] == pytest.approx(1 / np.sqrt(information(np.array([MLE_BOUND]), A, B + 8)[0]))


def test_mle_is_symmetric_for_mirrored_items() -> None:
    b = np.array([-1.0, -0.4, 0.0, 0.4, 1.0])
    a = np.ones(5)
    theta, _ = mle(np.array([[1, 1, 0, 0, 0], [1, 1, 1, 0, 0]], dtype=float), a, b)
    assert theta[0] == pytest.approx(-theta[1], abs=1e-9)


def test_information_is_the_variance_of_the_score() -> None:
    # Fisher information computed independently: Σ_j Σ_x P(x|θ) (∂/∂θ log P(x|θ))², with the
    # derivative by central differences.
    theta = np.linspace(-3, 3, 13)
    h = 1e-5
    p = probability(theta, A, B)
    d_log_p = (np.log(probability(theta + h, A, B)) - np.log(probability(theta - h, A, B))) / (
        2 * h
    )
    d_log_q = (
        np.log1p(-probability(theta + h, A, B)) - np.log1p(-probability(theta - h, A, B))
    ) / (2 * h)
    expected = np.sum(p * d_log_p**2 + (1 - p) * d_log_q**2, axis=1)
    np.testing.assert_allclose(information(theta, A, B), expected, rtol=1e-6)
    np.testing.assert_allclose(information(theta, A, B), np.sum(A**2 * p * (1 - p), axis=1))


def test_characteristic_curve_is_the_expected_score() -> None:
    theta = np.linspace(-6, 6, 25)
    curve = characteristic(theta, A, B)
    assert np.all(np.diff(curve) > 0)
    assert curve[0] < 0.1 and curve[-1] > len(A) - 0.2
    # Expected score by enumerating every response pattern.
    patterns = np.array(list(itertools.product([0, 1], repeat=len(A))), dtype=float)
    p = probability(theta, A, B)
    pattern_probability = np.prod(
        np.where(patterns[:, np.newaxis, :] == 1, p, 1 - p), axis=2
    )  # patterns x theta
    np.testing.assert_allclose(curve, patterns.sum(axis=1) @ pattern_probability, rtol=1e-10)


def test_lord_wingersky_matches_enumeration() -> None:
    nodes = np.linspace(-4, 4, 9)
    likelihood = summed_score_likelihood(nodes, A, B)
    patterns = np.array(list(itertools.product([0, 1], repeat=len(A))), dtype=float)
    p = probability(nodes, A, B)
    pattern_probability = np.prod(np.where(patterns[:, np.newaxis, :] == 1, p, 1 - p), axis=2)
    for score in range(len(A) + 1):
        np.testing.assert_allclose(
            likelihood[score], pattern_probability[patterns.sum(axis=1) == score].sum(axis=0)
        )
    np.testing.assert_allclose(likelihood.sum(axis=0), 1.0)


def test_score_table_is_monotone_with_bounds_at_the_ends() -> None:
    data = simulate(1, 30, seed=22)
    rows = score_table(data.a, data.b)
    assert [row.raw for row in rows] == list(range(31))
    eaps = [row.theta_eap for row in rows]
    mles = [row.theta_mle for row in rows]
    assert all(later > earlier for earlier, later in itertools.pairwise(eaps))
    assert all(later > earlier for earlier, later in itertools.pairwise(mles))
    assert (rows[0].theta_mle, rows[0].se_mle) == (-MLE_BOUND, np.inf)
    assert (rows[-1].theta_mle, rows[-1].se_mle) == (MLE_BOUND, np.inf)
    assert all(0 < row.se_eap < 1 for row in rows)
    # EAP shrinks toward the prior mean; the score-inverted θ does not.
    assert abs(rows[3].theta_eap) < abs(rows[3].theta_mle)


def test_score_table_agrees_with_pattern_scoring_in_the_rasch_model() -> None:
    # Under Rasch the summed score is sufficient: any pattern with the same number right has
    # the table's EAP and MLE.
    a = np.full(6, 1.3)
    rows = score_table(a, B)
    patterns = np.array([[1, 0, 0, 1, 0, 1], [0, 1, 1, 0, 1, 0], [1, 1, 0, 0, 0, 0]], dtype=float)
    theta_eap, se_eap = eap(patterns, a, B)
    theta_mle, se_mle = mle(patterns, a, B)
    for i, pattern in enumerate(patterns):
        row = rows[int(pattern.sum())]
        assert theta_eap[i] == pytest.approx(row.theta_eap, abs=1e-9)
        assert se_eap[i] == pytest.approx(row.se_eap, abs=1e-9)
        assert theta_mle[i] == pytest.approx(row.theta_mle, abs=1e-6)
        assert se_mle[i] == pytest.approx(row.se_mle, rel=1e-5)


def test_scoring_refuses_mismatched_input() -> None:
    with pytest.raises(ValueError, match="response columns"):
        eap(np.ones((2, 3)), A, B)
    with pytest.raises(ValueError, match="1, 0 or nan"):
        mle(np.full((1, 6), 0.5), A, B)
    with pytest.raises(ValueError, match="equally long"):
        score_table(A, B[:3])


@settings(max_examples=60, deadline=None)
@given(
    pattern=st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=6, max_size=6),
    flip=st.integers(0, 5),
)
def test_one_more_right_answer_never_lowers_the_estimate(pattern: list[float], flip: int) -> None:
    wrong = np.array(pattern)
    wrong[flip] = 0.0
    right = wrong.copy()
    right[flip] = 1.0
    both = np.vstack([wrong, right])
    theta_eap, _ = eap(both, A, B)
    theta_mle, _ = mle(both, A, B)
    assert theta_eap[1] > theta_eap[0]
    assert theta_mle[1] >= theta_mle[0]
