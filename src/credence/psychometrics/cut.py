"""The Angoff cut on the θ scale, with its standard error (decision 0046).

The panel recommends a raw cut on the reference form, the mean of the panellists' cuts, with
the standard error SE_raw = SD(cuts) / √n (``policy.recommend``). The θ cut is where the
form's test characteristic curve reaches it: θ_cut = TCC⁻¹(raw cut) (``equating``). Its
standard error carries the panel's spread through the same curve by the delta method:

    SE_θ = SE_raw / TCC'(θ_cut),   TCC'(θ) = Σ_j a_j P_j(θ) (1 - P_j(θ))

(the curve's slope: how many raw points one unit of θ is worth at the cut). The curve is not
straight, so the band θ_cut ± SE_θ is also given exactly, as the θ of the raw cut ± SE_raw
through TCC⁻¹; where the slope changes little over the band the two agree. Like SE_raw, it
is the uncertainty from the panel's sampling only, not from the items' calibration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from credence.psychometrics.equating import THETA_BOUND, theta_for_raw
from credence.psychometrics.irt import probability


@dataclass(frozen=True)
class ThetaCut:
    theta: float
    #: delta-method standard error; infinite when the cut lies at an end of the θ scale,
    #: where the curve is flat and a raw point moves θ without bound
    standard_error: float
    #: θ of (raw cut - SE_raw) and (raw cut + SE_raw): the one-SE band through the curve
    low: float
    high: float

    @property
    def finite(self) -> bool:
        return math.isfinite(self.standard_error)


def characteristic_slope(theta: float, a: np.ndarray, b: np.ndarray) -> float:
    """d TCC / dθ at ``theta``: expected raw points per unit of θ."""
    p = probability(np.array([theta]), a, b)[0]
    return float(np.sum(a * p * (1.0 - p)))


def cut_on_theta(
    raw_cut: float, raw_standard_error: float, a: np.ndarray, b: np.ndarray
) -> ThetaCut:
    """The θ cut of a raw cut on the form (a, b), with its standard error (module doc)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    theta = theta_for_raw(raw_cut, a, b)
    slope = characteristic_slope(theta, a, b)
    at_an_end = abs(theta) >= THETA_BOUND
    error = math.inf if at_an_end or slope <= 0 else raw_standard_error / slope
    return ThetaCut(
        theta=theta,
        standard_error=error,
        low=theta_for_raw(raw_cut - raw_standard_error, a, b),
        high=theta_for_raw(raw_cut + raw_standard_error, a, b),
    )
