"""Linking a new calibration to the reference scale by Stocking-Lord (decision 0043).

Pure numpy/scipy, no Django. Every calibration fixes its own scale by θ ~ N(0, 1) for the
candidates it was run on (0017), so recalibrating on an abler or more homogeneous group moves
every b and a: the same items, a different ruler. Linking finds the linear transformation
θ_reference = A θ_new + B that puts the new calibration's items back on the reference scale,

    a* = a / A,   b* = A b + B,

using the items both calibrations estimated (the anchors). A and B are chosen by the
characteristic-curve criterion of Stocking & Lord (1983): the anchors' test characteristic
curve under the reference parameters and under the transformed new ones should agree over the
reference population,

    F(A, B) = Σ_k w_k [Σ_j P(θ_k; a_j, b_j) - Σ_j P(θ_k; a*_j, b*_j)]²,

with θ_k a grid over ±4 and w_k the N(0, 1) density of the reference scale. It is minimized by
BFGS from the mean/sigma constants (Marco 1977), with its analytic gradient, over (log A, B) so
that A stays positive.

**Anchor stability.** After linking, each anchor's displacement b* - b_reference is compared
with the size a ruler change cannot explain: an anchor drifts when the displacement is both
practically large (more than ``DRIFT_MIN`` on θ) and beyond sampling error (more than
``DRIFT_Z`` standard errors, from both calibrations' se_b). The most displaced drifting
anchor is dropped and the link refitted without it, one at a time (a single drifting anchor
pulls A and B and makes stable ones look displaced), until no kept anchor drifts. Fewer than
``MIN_ANCHORS`` stable anchors cannot carry a scale: ``LinkingError``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from credence.psychometrics import irt

METHOD = "stocking-lord"
#: At least this many stable common items carry a link. Kolen & Brennan's rule of thumb for an
#: anchor test in a non-equivalent-groups design is 20 items or 20 % of a form; here the
#: anchors are usually the whole bank, each estimated from all sittings, so ten well-estimated
#: items already give A and B errors of a few hundredths (decision 0043).
MIN_ANCHORS = 10
#: An anchor drifts when it is displaced by more than DRIFT_MIN on θ (half the reference
#: population's standard deviation: a change that moves raw cuts visibly) *and* by more than
#: DRIFT_Z standard errors (so that a big but imprecise displacement of a rarely seen item is
#: not taken for drift; 3 keeps false alarms among 100 stable anchors below one in three).
DRIFT_MIN = 0.5
DRIFT_Z = 3.0
#: The criterion's grid on the reference scale: the N(0, 1) reference population to 4 SD.
GRID_POINTS = 81
GRID_RANGE = 4.0


class LinkingError(ValueError):
    """The calibrations cannot be linked; the message says why in the user's words."""


@dataclass(frozen=True)
class Anchor:
    """One common item: its reference parameters, its new ones carried to the reference
    scale by the final A and B, and whether it stayed in the anchor set."""

    id: str
    a_reference: float
    b_reference: float
    a_linked: float
    b_linked: float
    #: displacement / its standard error; None when either calibration has no se_b for it
    z: float | None
    kept: bool

    @property
    def displacement(self) -> float:
        return self.b_linked - self.b_reference


@dataclass(frozen=True)
class Linking:
    """θ_reference = A θ_new + B, with how it was found and how stable its anchors were."""

    A: float
    B: float
    #: the mean/sigma constants the criterion was minimized from
    start_A: float
    start_B: float
    #: F(A, B) at the minimum, in squared raw-score points (weights sum to one)
    criterion: float
    anchors: tuple[Anchor, ...]
    method: str = METHOD

    @property
    def kept(self) -> tuple[Anchor, ...]:
        return tuple(anchor for anchor in self.anchors if anchor.kept)

    @property
    def drifted(self) -> tuple[Anchor, ...]:
        return tuple(anchor for anchor in self.anchors if not anchor.kept)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "A": self.A,
            "B": self.B,
            "start_A": self.start_A,
            "start_B": self.start_B,
            "criterion": self.criterion,
            "anchors": [dataclasses.asdict(anchor) for anchor in self.anchors],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Linking:
        return cls(
            A=float(data["A"]),
            B=float(data["B"]),
            start_A=float(data["start_A"]),
            start_B=float(data["start_B"]),
            criterion=float(data["criterion"]),
            anchors=tuple(Anchor(**anchor) for anchor in data["anchors"]),
            method=str(data.get("method", METHOD)),
        )


def mean_sigma(reference_b: np.ndarray, new_b: np.ndarray) -> tuple[float, float]:
    """A = SD(b_ref) / SD(b_new), B = mean(b_ref) - A mean(b_new) (Marco 1977)."""
    spread = float(np.std(new_b))
    if not spread > 0:
        raise LinkingError("the anchors have equal difficulties: the scales cannot be compared")
    a = float(np.std(reference_b)) / spread
    return a, float(np.mean(reference_b)) - a * float(np.mean(new_b))


def _grid() -> tuple[np.ndarray, np.ndarray]:
    nodes = np.linspace(-GRID_RANGE, GRID_RANGE, GRID_POINTS)
    weights = np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()


def stocking_lord(
    reference: tuple[np.ndarray, np.ndarray],
    new: tuple[np.ndarray, np.ndarray],
    start: tuple[float, float],
) -> tuple[float, float, float]:
    """(A, B, F) minimizing the Stocking-Lord criterion for anchors given as (a, b) arrays."""
    nodes, weights = _grid()
    target = irt.probability(nodes, *reference).sum(axis=1)
    a, b = (np.asarray(x, dtype=float) for x in new)

    def criterion(x: np.ndarray) -> tuple[float, np.ndarray]:
        scale, shift = math.exp(x[0]), x[1]
        # a*(θ - b*) = a (θ - B) / A - a b
        centred = (nodes - shift)[:, np.newaxis] / scale
        p = expit(a * centred - a * b)
        difference = target - p.sum(axis=1)
        slope = p * (1 - p) * a  # ∂P/∂z · ∂z/∂(θ - B)/A, per node and anchor
        # ∂z/∂log A = -a (θ - B) / A,   ∂z/∂B = -a / A
        d_log_scale = -(slope * centred).sum(axis=1)
        d_shift = -slope.sum(axis=1) / scale
        value = float(np.sum(weights * difference**2))
        gradient = -2 * np.array(
            [np.sum(weights * difference * d_log_scale), np.sum(weights * difference * d_shift)]
        )
        return value, gradient

    result = minimize(
        criterion,
        np.array([math.log(start[0]), start[1]]),
        jac=True,
        method="BFGS",
        options={"gtol": 1e-9},
    )
    return math.exp(float(result.x[0])), float(result.x[1]), float(result.fun)


def link(
    reference: irt.Calibration,
    new: irt.Calibration,
    *,
    exclude: Collection[str] = (),
) -> Linking:
    """Link ``new`` to ``reference`` on their common items (less ``exclude``: items screened
    out of either), dropping drifting anchors one at a time (see the module doc)."""
    by_id = {item.id: item for item in reference.items}
    pairs = [
        (by_id[item.id], item) for item in new.items if item.id in by_id and item.id not in exclude
    ]
    if len(pairs) < MIN_ANCHORS:
        raise LinkingError(
            f"the calibrations have {len(pairs)} usable items in common; linking needs at "
            f"least {MIN_ANCHORS}"
        )
    ref_a = np.array([r.a for r, _ in pairs])
    ref_b = np.array([r.b for r, _ in pairs])
    new_a = np.array([n.a for _, n in pairs])
    new_b = np.array([n.b for _, n in pairs])
    se = np.array([r.se_b for r, _ in pairs])
    new_se = np.array([n.se_b for _, n in pairs])
    kept = np.ones(len(pairs), dtype=bool)
    while True:
        start = mean_sigma(ref_b[kept], new_b[kept])
        scale, shift, value = stocking_lord(
            (ref_a[kept], ref_b[kept]), (new_a[kept], new_b[kept]), start
        )
        displacement = scale * new_b + shift - ref_b
        with np.errstate(invalid="ignore", divide="ignore"):
            z = displacement / np.sqrt(se**2 + (scale * new_se) ** 2)
        known = np.isfinite(z)
        drifting = kept & (np.abs(displacement) > DRIFT_MIN) & (~known | (np.abs(z) > DRIFT_Z))
        if not drifting.any():
            break
        worst = int(np.argmax(np.where(drifting, np.abs(displacement), -np.inf)))
        kept[worst] = False
        if kept.sum() < MIN_ANCHORS:
            raise LinkingError(
                f"{int((~kept).sum())} of {len(pairs)} common items drifted; fewer than "
                f"{MIN_ANCHORS} stable ones are left to link on"
            )
    anchors = tuple(
        Anchor(
            id=new_item.id,
            a_reference=float(ref_a[j]),
            b_reference=float(ref_b[j]),
            a_linked=float(new_a[j] / scale),
            b_linked=float(scale * new_b[j] + shift),
            z=float(z[j]) if known[j] else None,
            kept=bool(kept[j]),
        )
        for j, (_, new_item) in enumerate(pairs)
    )
    return Linking(
        A=scale, B=shift, start_A=start[0], start_B=start[1], criterion=value, anchors=anchors
    )


def transformed(calibration: irt.Calibration, scale: float, shift: float) -> irt.Calibration:
    """The calibration carried to the reference scale: a/A, A b + B, their SEs likewise;
    fit statistics and the likelihood do not depend on the scale."""
    return dataclasses.replace(
        calibration,
        items=tuple(
            dataclasses.replace(
                item,
                a=item.a / scale,
                b=scale * item.b + shift,
                se_a=None if item.se_a is None else item.se_a / scale,
                se_b=scale * item.se_b,
            )
            for item in calibration.items
        ),
    )
