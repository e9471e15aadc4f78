"""IRT true-score equating through the calibrated bank (decision 0019).

Every item of the bank sits on one θ scale (concurrent calibration of all sittings), so a
form's test characteristic curve TCC_form(θ) = Σ P_j(θ) maps ability to the raw score
expected on that form. A raw score on one form is carried to another by
θ = TCC_form⁻¹(raw) and raw' = TCC_reference(θ) (Kolen & Brennan 2014, ch. 6).

Credence reports a candidate's **equated score**: their own form's raw score carried to the
reference form of the adopted standard, as a percent of that form. R4's single pass mark (the
Angoff cut as a percent of the reference form) then means the same ability on every form.

The raw score that is equated counts the items with **full marks** (``full_marks``): the
calibration's model is dichotomous (partial credit counts as wrong there), and the curve
TCC_form is the expected number of such items. Summing partial shares instead would put a
score on the curve that the model never predicted, and carry it upward (decision 0043).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
from scipy.optimize import brentq

from credence.psychometrics.policy import percent_of
from credence.psychometrics.scoring import test_characteristic

#: θ is searched within ±THETA_BOUND; a raw score beyond the curve's value at the bound
#: (only the very ends of the scale) is carried at the bound.
THETA_BOUND = 8.0


def full_marks(shares: Sequence[Decimal | float | None]) -> int:
    """The raw score the model describes: the number of items answered for full marks (a
    share of 1); partial credit and unmarked items count as wrong, as in the calibration."""
    return sum(1 for share in shares if share is not None and share >= 1)


def expected_raw(theta: float, a: np.ndarray, b: np.ndarray) -> float:
    return float(test_characteristic(np.array([theta]), a, b)[0])


def theta_for_raw(raw: float, a: np.ndarray, b: np.ndarray) -> float:
    """The θ whose expected raw score on the form (a, b) is ``raw``. The curve rises strictly
    (every a > 0), so the root is unique; 0 and the maximum map to ∓ THETA_BOUND."""
    low, high = expected_raw(-THETA_BOUND, a, b), expected_raw(THETA_BOUND, a, b)
    if raw <= low:
        return -THETA_BOUND
    if raw >= high:
        return THETA_BOUND
    return float(
        brentq(lambda t: expected_raw(t, a, b) - raw, -THETA_BOUND, THETA_BOUND, xtol=1e-10)
    )


def raw_cut_on_form(theta_cut: float, a: np.ndarray, b: np.ndarray) -> float:
    """The raw score on a form that corresponds to the standard's θ cut."""
    return expected_raw(theta_cut, a, b)


def equated_percent(
    raw: float,
    form: tuple[np.ndarray, np.ndarray],
    reference: tuple[np.ndarray, np.ndarray],
) -> Decimal:
    """``raw`` (summed score on ``form``) as a percent of the reference form, to the cent.

    The ends stay the ends: nothing right is 0, everything right is 100 (a candidate who
    answered every item is never reported below full marks because the curve only approaches
    its maximum)."""
    a, b = form
    items = len(a)
    if raw <= 0:
        return Decimal("0.00")
    if raw >= items:
        return Decimal("100.00")
    reference_a, reference_b = reference
    theta = theta_for_raw(raw, a, b)
    return percent_of(expected_raw(theta, reference_a, reference_b), len(reference_a))
