"""Scoring on the calibrated scale: ability estimates, test information, score tables.

Pure numpy/scipy, no Django. ``responses`` are persons x items arrays of 1.0, 0.0 and nan
(not presented), ``a`` and ``b`` the items' parameters in the same column order
(docs/decisions/0017-irt-calibration.md).

* EAP: the mean and standard deviation of the posterior of θ under the N(0, 1) prior, on the
  calibration's quadrature grid. Always finite; a person with no responses gets the prior
  (0, 1).
* MLE: Newton-Raphson on the person's log-likelihood, bounded to ±``MLE_BOUND``. When all
  presented responses are correct (or all wrong) the likelihood rises without end and there is
  no MLE: the estimate is the bound and the SE is infinite, so that nobody reads the bound as
  a measurement. A finite MLE beyond the bound is also reported at the bound, with the SE
  from the information there. No responses at all: nan for both.
* Score table: for every summed score of a form, the EAP and posterior SD of θ given that
  summed score (Lord & Wingersky, 1984, recursion over the items for the summed-score
  likelihood at each node), and the θ whose expected summed score (test characteristic
  curve) equals the score, with SE 1/√I(θ). In the Rasch model the summed score is
  sufficient and that θ is exactly the MLE; for 2PL it is the usual summed-score
  approximation. Scores 0 and the maximum get the bounds and an infinite SE, as above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from credence.psychometrics.irt import probability, quadrature

MLE_BOUND = 6.0
MLE_ITERATIONS = 50
MLE_TOLERANCE = 1e-8


@dataclass(frozen=True)
class ScoreRow:
    raw: int
    theta_eap: float
    se_eap: float
    theta_mle: float
    se_mle: float


def _as_arrays(
    responses: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(correct, presented, a, b) as float arrays: 1/0 indicators for the responses."""
    data = np.atleast_2d(np.asarray(responses, dtype=float))
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or data.shape[1] != a.shape[0]:
        raise ValueError(
            f"{data.shape[1]} response columns for {a.shape[0]} discriminations and "
            f"{b.shape[0]} difficulties"
        )
    presented = ~np.isnan(data)
    if np.any(presented & (data != 0.0) & (data != 1.0)):
        raise ValueError("responses must be 1, 0 or nan (not presented)")
    return np.nan_to_num(data, nan=0.0), presented.astype(float), a, b


def eap(responses: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected a posteriori θ and its posterior SD per person (N(0, 1) prior)."""
    correct, presented, a, b = _as_arrays(responses, a, b)
    nodes, weights = quadrature()
    p = probability(nodes, a, b)
    log_likelihood = correct @ np.log(p).T + (presented - correct) @ np.log1p(-p).T
    joint = log_likelihood + np.log(weights)
    joint -= joint.max(axis=1, keepdims=True)
    posterior = np.exp(joint)
    posterior /= posterior.sum(axis=1, keepdims=True)
    theta = posterior @ nodes
    variance = posterior @ nodes**2 - theta**2
    return theta, np.sqrt(np.maximum(variance, 0.0))


def mle(responses: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum likelihood θ and SE per person, bounded to ±MLE_BOUND (see the module doc)."""
    correct, presented, a, b = _as_arrays(responses, a, b)
    seen = presented.sum(axis=1)
    right = correct.sum(axis=1)
    theta = np.zeros(correct.shape[0])
    # The log-likelihood is concave in θ (a > 0), so Newton from 0 with clipping converges;
    # every person is one entry of the vector.
    for _ in range(MLE_ITERATIONS):
        p = probability(theta, a, b)
        gradient = np.sum(presented * a * (correct - p), axis=1)
        information = np.sum(presented * a**2 * p * (1 - p), axis=1)
        step = gradient / np.maximum(information, 1e-12)
        new_theta = np.clip(theta + step, -MLE_BOUND, MLE_BOUND)
        done = np.max(np.abs(new_theta - theta), initial=0.0) < MLE_TOLERANCE
        theta = new_theta
        if done:
            break
    p = probability(theta, a, b)
    information = np.sum(presented * a**2 * p * (1 - p), axis=1)
    se = 1.0 / np.sqrt(np.maximum(information, 1e-300))
    all_right = (seen > 0) & (right == seen)
    all_wrong = (seen > 0) & (right == 0)
    theta = np.where(all_right, MLE_BOUND, np.where(all_wrong, -MLE_BOUND, theta))
    se = np.where(all_right | all_wrong, np.inf, se)
    nothing = seen == 0
    return np.where(nothing, np.nan, theta), np.where(nothing, np.nan, se)


def test_information(theta: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Fisher information of the whole form at each θ: Σ_j a_j² P_j (1 - P_j)."""
    a = np.asarray(a, dtype=float)
    p = probability(theta, a, b)
    return np.sum(a**2 * p * (1 - p), axis=1)


def test_characteristic(theta: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Expected summed score of the form at each θ: Σ_j P_j."""
    return probability(theta, a, b).sum(axis=1)


# pytest would otherwise collect the two functions above as tests when a test module imports
# them by name.
test_information.__test__ = False  # type: ignore[attr-defined]
test_characteristic.__test__ = False  # type: ignore[attr-defined]


def summed_score_likelihood(nodes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """L(s | θ_k) for every summed score s = 0..J and node k (Lord-Wingersky recursion).

    Shape (J + 1, len(nodes)). The recursion adds one item at a time: a score s after item j
    comes from s after the first j - 1 items and a wrong answer, or s - 1 and a right one.
    """
    p = probability(nodes, a, b)
    likelihood = np.zeros((len(a) + 1, len(nodes)))
    likelihood[0] = 1.0
    for j in range(len(a)):
        # The right-hand side is evaluated in full before the assignment, so it reads the
        # scores of the first j items only.
        likelihood[1 : j + 2] = (
            likelihood[1 : j + 2] * (1 - p[:, j]) + likelihood[: j + 1] * p[:, j]
        )
        likelihood[0] *= 1 - p[:, j]
    return likelihood


def score_table(a: np.ndarray, b: np.ndarray) -> list[ScoreRow]:
    """Score-to-ability table of a form: one row per summed score 0..J (see the module doc)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError("a and b must be equally long, non-empty lists of item parameters")
    nodes, weights = quadrature()
    joint = summed_score_likelihood(nodes, a, b) * weights
    posterior = joint / joint.sum(axis=1, keepdims=True)
    theta_eap = posterior @ nodes
    se_eap = np.sqrt(np.maximum(posterior @ nodes**2 - theta_eap**2, 0.0))

    items = a.size
    raw = np.arange(items + 1, dtype=float)
    theta_mle = _invert_characteristic(raw, a, b)
    se_mle = 1.0 / np.sqrt(test_information(theta_mle, a, b))
    theta_mle[0], theta_mle[-1] = -MLE_BOUND, MLE_BOUND
    se_mle[0] = se_mle[-1] = np.inf
    return [
        ScoreRow(
            raw=int(s),
            theta_eap=float(theta_eap[s]),
            se_eap=float(se_eap[s]),
            theta_mle=float(theta_mle[s]),
            se_mle=float(se_mle[s]),
        )
        for s in range(items + 1)
    ]


def _invert_characteristic(raw: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """θ with expected score = raw, for all scores at once by bisection within the bounds."""
    low = np.full(raw.shape, -MLE_BOUND)
    high = np.full(raw.shape, MLE_BOUND)
    # 60 halvings of an interval of width 12 end far below floating-point resolution of θ.
    for _ in range(60):
        middle = (low + high) / 2
        expected = expit(a * (middle[:, np.newaxis] - b)).sum(axis=1)
        below = expected < raw
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    return (low + high) / 2
