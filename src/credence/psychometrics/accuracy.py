"""How good a form's pass/fail decision is at the cut (decision 0019).

* Marginal reliability from the test information, rho = 1 / (1 + E[1/I(θ)]) over θ ~ N(0, 1)
  (Green, Bock, Humphreys, Linn & Reckase 1984), and KR-20 on observed 0/1 data.
* Classification accuracy and consistency by Rudner's method (Rudner 2001, 2005): at each θ
  the estimate is taken as normal around θ with SE 1/√I(θ); accuracy is the probability that
  the estimate falls on the same side of the cut as the true θ, consistency the probability
  that two independent administrations of the form fall on the same side (P² + (1 - P)²).
* The same two figures by simulation from the calibrated model (seeded): true θ drawn from
  N(0, 1), responses from the 2PL, the decision made as Credence makes it (raw score on the
  form at or above the form's raw cut TCC(θ_cut)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from credence.psychometrics.irt import probability
from credence.psychometrics.scoring import test_characteristic, test_information

#: A grid finer than the calibration's (every 0.025 θ), because the probability of a correct
#: classification changes fastest right at the cut.
GRID = np.linspace(-6.0, 6.0, 481)


@dataclass(frozen=True)
class DecisionQuality:
    accuracy: float
    consistency: float
    # share of the population above the cut, for the reader's sense of the base rate
    passing: float


def _normal_weights(nodes: np.ndarray) -> np.ndarray:
    weights = norm.pdf(nodes)
    return weights / weights.sum()


def marginal_reliability(a: np.ndarray, b: np.ndarray) -> float:
    information = test_information(GRID, a, b)
    error_variance = float(np.sum(_normal_weights(GRID) / information))
    return 1.0 / (1.0 + error_variance)


def kr20(responses: np.ndarray) -> float | None:
    """KR-20 of a complete persons x items table of 0/1 scores (Cronbach's alpha for shares);
    ``None`` with fewer than two persons or items, or when every total is the same."""
    data = np.asarray(responses, dtype=float)
    persons, items = data.shape
    if persons < 2 or items < 2:
        return None
    total_variance = float(data.sum(axis=1).var(ddof=1))
    if total_variance == 0:
        return None
    item_variances = float(data.var(axis=0, ddof=1).sum())
    return items / (items - 1) * (1 - item_variances / total_variance)


def rudner(a: np.ndarray, b: np.ndarray, theta_cut: float) -> DecisionQuality:
    """Rudner's classification accuracy and consistency at ``theta_cut``, θ ~ N(0, 1)."""
    weights = _normal_weights(GRID)
    standard_error = 1.0 / np.sqrt(test_information(GRID, a, b))
    passes = norm.sf((theta_cut - GRID) / standard_error)  # P(estimate ≥ cut | θ)
    above = theta_cut <= GRID
    correct = np.where(above, passes, 1.0 - passes)
    return DecisionQuality(
        accuracy=float(np.sum(weights * correct)),
        consistency=float(np.sum(weights * (passes**2 + (1.0 - passes) ** 2))),
        passing=float(np.sum(weights[above])),
    )


def simulated(
    a: np.ndarray, b: np.ndarray, theta_cut: float, *, persons: int = 20_000, seed: int = 0
) -> DecisionQuality:
    """Accuracy and consistency of the raw-score decision, simulated from the model."""
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(persons)
    raw_cut = float(test_characteristic(np.array([theta_cut]), a, b)[0])
    p = probability(theta, a, b)
    first = (rng.random(p.shape) < p).sum(axis=1) >= raw_cut
    second = (rng.random(p.shape) < p).sum(axis=1) >= raw_cut
    truly = theta >= theta_cut
    return DecisionQuality(
        accuracy=float(np.mean(first == truly)),
        consistency=float(np.mean(first == second)),
        passing=float(np.mean(truly)),
    )
