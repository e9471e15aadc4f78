"""Item response theory: calibration of Rasch and 2PL items by marginal maximum likelihood.

Pure numpy/scipy, no Django. The model is the two-parameter logistic on the usual scale,

    P(correct | θ) = 1 / (1 + exp(-a (θ - b))),   θ ~ N(0, 1),

fitted by the EM algorithm of Bock & Aitkin (1981) over a fixed quadrature grid
(docs/decisions/0017-irt-calibration.md has the reasons for every choice below):

* E-step: the posterior of every person over the grid, as two matrix products of the 0/1
  responses and the "presented and wrong" mask with the log-probabilities; a response that
  was not presented (``nan``) is zero in both and drops out of the likelihood. Then the
  expected counts r (correct) and n (presented) per item and grid point, again as matrix
  products.
* M-step: Newton-Raphson on all items at once in slope-intercept form (z = aθ + c), where
  each item's expected log-likelihood is a weighted logistic regression and therefore
  concave; steps are halved where they would lower it, and parameters stay within bounds.
* Rasch: one common slope for all items (θ stays N(0, 1), so the common slope carries the
  spread of ability that a fixed a = 1 would put into the variance of θ).

Standard errors come from the cross-product of the persons' score vectors of the marginal
likelihood at the estimate (the empirical information), which accounts for the uncertainty of
θ; infit and outfit are the usual mean squares with each person's residual averaged over
their posterior of θ (see ``_fit`` for why not at the EAP point).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits

Model = Literal["rasch", "2pl"]
MODELS: tuple[Model, ...] = ("rasch", "2pl")

#: Quadrature: equally spaced points with normal density weights. 61 points on [-6, 6] put
#: a point every 0.2 θ, far below the error of any estimate, and cover the prior to 6 SD.
QUADRATURE_POINTS = 61
QUADRATURE_RANGE = 6.0

#: Bounds keep estimates finite for items with little information. Discriminations below
#: A_MIN would make b = -c/a meaningless, and a negative slope (an item that better candidates
#: get wrong more often) is a defect to fix in the item, not a parameter to report.
A_MIN, A_MAX = 0.05, 10.0
B_MAX = 10.0

#: Newton steps per M-step: the item likelihoods are concave, so a few steps reach the maximum
#: of the expected log-likelihood given the posterior; further steps would gain nothing
#: because the next E-step moves the target.
NEWTON_STEPS = 6
STEP_HALVINGS = 20


class CalibrationError(ValueError):
    """The responses cannot be calibrated; the message says why in the user's words."""


@dataclass(frozen=True)
class ItemParameters:
    id: str
    a: float
    b: float
    se_a: float | None
    se_b: float
    infit: float
    outfit: float


@dataclass(frozen=True)
class Calibration:
    model: Model
    converged: bool
    iterations: int
    items: tuple[ItemParameters, ...]
    log_likelihood: float
    #: The largest change of any a or b in the last iteration (the convergence criterion).
    final_change: float = math.nan
    persons: int = 0
    responses: int = 0

    @property
    def a(self) -> np.ndarray:
        return np.array([item.a for item in self.items], dtype=float)

    @property
    def b(self) -> np.ndarray:
        return np.array([item.b for item in self.items], dtype=float)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def to_json(self) -> dict[str, Any]:
        """The PARAMS.json document of issue 8 (plus a few keys of the convergence report)."""
        return {
            "model": self.model,
            "converged": self.converged,
            "iterations": self.iterations,
            "final_change": _finite_or_none(self.final_change),
            "log_likelihood": _finite_or_none(self.log_likelihood),
            "persons": self.persons,
            "responses": self.responses,
            "items": [
                {
                    "id": item.id,
                    "a": item.a,
                    "b": item.b,
                    "se_a": _finite_or_none(item.se_a),
                    "se_b": _finite_or_none(item.se_b),
                    "infit": _finite_or_none(item.infit),
                    "outfit": _finite_or_none(item.outfit),
                }
                for item in self.items
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> Calibration:
        """Read a PARAMS.json document; raises CalibrationError naming the first bad key."""
        if not isinstance(data, dict):
            raise CalibrationError("parameters: expected a JSON object")
        model = data.get("model")
        if model not in MODELS:
            raise CalibrationError(f"parameters: model must be one of {', '.join(MODELS)}")
        raw_items = data.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise CalibrationError("parameters: items must be a non-empty list")
        items = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_items):
            where = f"parameters: items[{index}]"
            if not isinstance(raw, dict):
                raise CalibrationError(f"{where}: expected an object")
            item_id = raw.get("id")
            if not isinstance(item_id, str) or not item_id:
                raise CalibrationError(f"{where}.id: expected a non-empty string")
            if item_id in seen:
                raise CalibrationError(f"{where}.id: {item_id!r} appears twice")
            seen.add(item_id)
            a = _number(raw, "a", where)
            b = _number(raw, "b", where)
            if a is None or b is None or not a > 0:
                raise CalibrationError(f"{where}: a must be a positive number and b a number")
            items.append(
                ItemParameters(
                    id=item_id,
                    a=a,
                    b=b,
                    se_a=_number(raw, "se_a", where),
                    se_b=_nan_if_none(_number(raw, "se_b", where)),
                    infit=_nan_if_none(_number(raw, "infit", where)),
                    outfit=_nan_if_none(_number(raw, "outfit", where)),
                )
            )
        return cls(
            model=model,
            converged=bool(data.get("converged", False)),
            iterations=int(data.get("iterations", 0)),
            items=tuple(items),
            log_likelihood=_nan_if_none(_number(data, "log_likelihood", "parameters")),
            final_change=_nan_if_none(_number(data, "final_change", "parameters")),
            persons=int(data.get("persons", 0)),
            responses=int(data.get("responses", 0)),
        )


def probability(theta: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(correct) for every ability and item: shape (len(theta), len(a))."""
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    return expit(a[np.newaxis, :] * (theta[:, np.newaxis] - b[np.newaxis, :]))


def quadrature(
    points: int = QUADRATURE_POINTS, limit: float = QUADRATURE_RANGE
) -> tuple[np.ndarray, np.ndarray]:
    """Grid points and weights (summing to one) for the N(0, 1) prior of θ."""
    nodes = np.linspace(-limit, limit, points)
    weights = np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()


def check_responses(responses: np.ndarray, item_ids: Sequence[str]) -> np.ndarray:
    """Validate a persons x items array of 1.0, 0.0 and nan; return it as float64."""
    data = np.asarray(responses, dtype=float)
    if data.ndim != 2:
        raise CalibrationError("responses must be a table of persons x items")
    persons, items = data.shape
    if persons == 0:
        raise CalibrationError("there are no persons in the responses")
    if items == 0:
        raise CalibrationError("there are no items in the responses")
    if len(item_ids) != items:
        raise CalibrationError(f"{len(item_ids)} item ids for {items} columns of responses")
    if len(set(item_ids)) != len(item_ids):
        raise CalibrationError("item ids must be unique")
    presented = ~np.isnan(data)
    bad = presented & (data != 0.0) & (data != 1.0)
    if bad.any():
        person, item = np.argwhere(bad)[0]
        value = float(data[person, item])
        raise CalibrationError(
            f"person {person + 1}, item {item_ids[item]!r}: response {value:g} is not 1, 0 or empty"
        )
    return data


def calibrate(
    responses: np.ndarray,
    item_ids: Sequence[str],
    *,
    model: str = "2pl",
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    progress: Callable[[int, float], None] | None = None,
    threads: int | None = 1,
) -> Calibration:
    """Calibrate items from persons x items responses (1.0, 0.0, nan for not presented).

    Stops when no a or b changes by more than ``tolerance`` between two EM iterations, or
    after ``max_iterations`` (then ``converged`` is False). ``progress(iteration, change)``
    is called after every iteration. Items that nobody answered, or that everyone who saw
    them answered right (or wrong), have no finite estimate: they raise CalibrationError
    naming them, so that the caller can drop them deliberately.

    ``threads`` caps the BLAS threads of the matrix products (None: the BLAS default). One is
    the default because calibration runs beside web and task workers: the products are narrow
    (61 nodes), and idle BLAS threads spin while waiting, so on a busy machine more threads
    make it slower, not faster (docs/benchmarks.md).
    """
    with threadpool_limits(limits=threads, user_api="blas"):
        return _calibrate(responses, item_ids, model, max_iterations, tolerance, progress)


def _calibrate(
    responses: np.ndarray,
    item_ids: Sequence[str],
    model: str,
    max_iterations: int,
    tolerance: float,
    progress: Callable[[int, float], None] | None,
) -> Calibration:
    if model not in MODELS:
        raise CalibrationError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if max_iterations < 1 or not tolerance > 0:
        raise CalibrationError("max_iterations must be at least 1 and tolerance positive")
    data = check_responses(responses, item_ids)
    presented = (~np.isnan(data)).astype(float)
    correct = np.nan_to_num(data, nan=0.0)
    _refuse_inestimable_items(correct, presented, item_ids)

    nodes, weights = quadrature()
    log_weights = np.log(weights)
    wrong = presented - correct
    items = len(item_ids)
    # [correct | wrong] @ [log P; log(1-P)] gives every person's log-likelihood at every node
    # in one product, and [correct | wrong]^T @ posterior the expected counts in another: the
    # only large operations. The iterations run them in single precision (twice the speed;
    # errors of 1e-6 relative, far below the sampling error and the tolerance); the final
    # E-step, which the likelihood, SEs and fit come from, runs in double precision.
    indicators = np.hstack([correct, wrong])
    fast_indicators = indicators.astype(np.float32)
    a, c = _starting_values(correct, presented, model)

    converged = False
    change = math.inf
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        posterior, _ = _e_step(fast_indicators, nodes, log_weights, a, c)
        counts = (fast_indicators.T @ posterior).astype(float)
        expected_correct = counts[:items]
        expected_presented = expected_correct + counts[items:]
        new_a, new_c = _m_step(expected_correct, expected_presented, nodes, a, c, model)
        change = float(
            max(
                np.max(np.abs(new_a - a)),
                np.max(np.abs(_difficulty(new_a, new_c) - _difficulty(a, c))),
            )
        )
        a, c = new_a, new_c
        if progress is not None:
            progress(iteration, change)
        if change < tolerance:
            converged = True
            break

    posterior, log_likelihood = _e_step(indicators, nodes, log_weights, a, c)
    b = _difficulty(a, c)
    se_a, se_b = _standard_errors(correct, presented, posterior, nodes, a, c, model)
    infit, outfit = _fit(correct, presented, posterior, nodes, a, c)
    parameters = tuple(
        ItemParameters(
            id=str(item_ids[j]),
            a=float(a[j]),
            b=float(b[j]),
            se_a=float(se_a[j]),
            se_b=float(se_b[j]),
            infit=float(infit[j]),
            outfit=float(outfit[j]),
        )
        for j in range(len(item_ids))
    )
    return Calibration(
        model=model,
        converged=converged,
        iterations=iteration,
        items=parameters,
        log_likelihood=log_likelihood,
        final_change=change,
        persons=int(data.shape[0]),
        responses=int(presented.sum()),
    )


def _refuse_inestimable_items(
    correct: np.ndarray, presented: np.ndarray, item_ids: Sequence[str]
) -> None:
    seen = presented.sum(axis=0)
    right = correct.sum(axis=0)
    problems = []
    for label, mask in (
        ("never presented", seen == 0),
        ("answered correctly by everyone who saw it", (seen > 0) & (right == seen)),
        ("answered wrongly by everyone who saw it", (seen > 0) & (right == 0)),
    ):
        ids = [str(item_ids[int(j)]) for j in np.flatnonzero(mask)]
        if ids:
            problems.append(f"{label}: {', '.join(ids)}")
    if problems:
        raise CalibrationError(
            "these items have no finite estimate and must be left out: " + "; ".join(problems)
        )


def _starting_values(
    correct: np.ndarray, presented: np.ndarray, model: str
) -> tuple[np.ndarray, np.ndarray]:
    # With a = 1 and θ ~ N(0, 1), P(correct) ≈ expit(-0.862 b) (logistic-normal approximation),
    # so the logit of the proportion correct gives b up to that factor; c = -a b = logit / 0.862.
    proportion = correct.sum(axis=0) / presented.sum(axis=0)
    proportion = np.clip(proportion, 0.01, 0.99)
    c = np.log(proportion / (1 - proportion)) / 0.862
    return np.ones_like(c), c


def _difficulty(a: np.ndarray, c: np.ndarray) -> np.ndarray:
    return -c / a


def _log_probabilities(
    nodes: np.ndarray, a: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    logits = nodes[:, np.newaxis] * a[np.newaxis, :] + c[np.newaxis, :]
    # log expit(z) = -log(1 + e^-z), computed without overflow at either end.
    return -np.logaddexp(0.0, -logits), -np.logaddexp(0.0, logits)


def _e_step(
    indicators: np.ndarray,
    nodes: np.ndarray,
    log_weights: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
) -> tuple[np.ndarray, float]:
    """Posterior over the nodes per person, and the marginal log-likelihood."""
    log_p, log_q = _log_probabilities(nodes, a, c)
    joint = indicators @ np.vstack([log_p.T, log_q.T]).astype(indicators.dtype)
    joint += log_weights.astype(indicators.dtype)
    # log-sum-exp per person, in place on the one persons x nodes array (the largest one).
    peak = joint.max(axis=1, keepdims=True)
    joint -= peak
    np.exp(joint, out=joint)
    total = joint.sum(axis=1, keepdims=True)
    joint /= total
    return joint, float(np.sum(np.log(total, dtype=float) + peak))


def _m_step(
    r: np.ndarray,
    n: np.ndarray,
    nodes: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
    model: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Maximize Σ_k r_jk log P_jk + (n_jk - r_jk) log(1 - P_jk) over (a, c) for all items."""
    a, c = a.copy(), c.copy()
    for _ in range(NEWTON_STEPS):
        p = expit(nodes[np.newaxis, :] * a[:, np.newaxis] + c[:, np.newaxis])
        residual = r - n * p
        weight = n * p * (1 - p)
        grad_c = residual.sum(axis=1)
        grad_a = residual @ nodes
        info_cc = weight.sum(axis=1)
        info_ac = weight @ nodes
        info_aa = weight @ (nodes**2)
        if model == "2pl":
            det = info_aa * info_cc - info_ac**2
            # A singular 2 x 2 block (an item seen by almost nobody) gets a gradient step
            # scaled by its diagonal instead of a Newton step.
            ok = det > 1e-12 * np.maximum(info_aa * info_cc, 1e-300)
            safe_det = np.where(ok, det, 1.0)
            step_a = np.where(
                ok, (info_cc * grad_a - info_ac * grad_c) / safe_det, grad_a / (info_aa + 1e-9)
            )
            step_c = np.where(
                ok, (info_aa * grad_c - info_ac * grad_a) / safe_det, grad_c / (info_cc + 1e-9)
            )
        else:
            # One common slope: the information matrix is an arrow (the slope row/column plus
            # a diagonal over the intercepts), solved through the Schur complement.
            d = info_cc + 1e-12
            schur = info_aa.sum() - np.sum(info_ac**2 / d)
            common = (grad_a.sum() - np.sum(info_ac * grad_c / d)) / schur
            step_a = np.full_like(a, common)
            step_c = (grad_c - info_ac * common) / d
        a, c = _line_search(r, n, nodes, a, c, step_a, step_c, common=model == "rasch")
        if max(np.max(np.abs(step_a)), np.max(np.abs(step_c))) < 1e-7:
            break
    return a, c


def _expected_log_likelihood(
    r: np.ndarray, n: np.ndarray, nodes: np.ndarray, a: np.ndarray, c: np.ndarray
) -> np.ndarray:
    logits = nodes[np.newaxis, :] * a[:, np.newaxis] + c[:, np.newaxis]
    return np.sum(r * logits - n * np.logaddexp(0.0, logits), axis=1)


def _bounded(a: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.clip(a, A_MIN, A_MAX)
    return a, np.clip(c, -B_MAX * a, B_MAX * a)


def _line_search(
    r: np.ndarray,
    n: np.ndarray,
    nodes: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
    step_a: np.ndarray,
    step_c: np.ndarray,
    *,
    common: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Take the Newton step, halved per item where it would lower that item's objective.

    For the Rasch model the step of the common slope must stay common, so there the whole
    step is halved on the sum of the items' objectives.
    """
    before = _expected_log_likelihood(r, n, nodes, a, c)
    scale = np.ones_like(a)
    new_a, new_c = a, c
    for _ in range(STEP_HALVINGS):
        new_a, new_c = _bounded(a + scale * step_a, c + scale * step_c)
        after = _expected_log_likelihood(r, n, nodes, new_a, new_c)
        if common:
            if after.sum() >= before.sum() - 1e-9 * abs(before.sum()):
                return new_a, new_c
            scale = scale / 2
            continue
        worse = after < before - 1e-9 * np.abs(before)
        if not worse.any():
            return new_a, new_c
        scale = np.where(worse, scale / 2, scale)
    # No improving step within the halvings: keep the old values where it still gets worse.
    if common:
        return a, c
    after = _expected_log_likelihood(r, n, nodes, new_a, new_c)
    keep = after < before
    return np.where(keep, a, new_a), np.where(keep, c, new_c)


def _standard_errors(
    correct: np.ndarray,
    presented: np.ndarray,
    posterior: np.ndarray,
    nodes: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
    model: str,
) -> tuple[np.ndarray, np.ndarray]:
    """SEs of a and b from the cross-product of the persons' score vectors (empirical info).

    Person i's score for item j is, with expectations under i's posterior of θ,
    ∂/∂c = m_ij (x_ij - E[P_j]) and ∂/∂a = m_ij (x_ij E[θ] - E[θ P_j]). Their cross-product
    estimates the information of the marginal likelihood, including what is lost by not
    knowing θ. b = -c/a gets its SE by the delta method.
    """
    p = expit(nodes[:, np.newaxis] * a[np.newaxis, :] + c[np.newaxis, :])
    expected_p = posterior @ p
    expected_theta_p = (posterior * nodes) @ p
    expected_theta = posterior @ nodes
    score_c = presented * (correct - expected_p)
    score_a = presented * (correct * expected_theta[:, np.newaxis] - expected_theta_p)
    if model == "2pl":
        scores = np.hstack([score_a, score_c])
    else:
        scores = np.hstack([score_a.sum(axis=1, keepdims=True), score_c])
    information = scores.T @ scores
    covariance = _inverse(information)
    items = len(a)
    if model == "2pl":
        var_a = np.diag(covariance)[:items]
        var_c = np.diag(covariance)[items:]
        cov_ac = np.diag(covariance[:items, items:])
    else:
        var_a = np.full(items, covariance[0, 0])
        var_c = np.diag(covariance)[1:]
        cov_ac = covariance[0, 1:]
    # b = -c/a: ∂b/∂c = -1/a, ∂b/∂a = c/a².
    var_b = var_c / a**2 + var_a * c**2 / a**4 - 2 * cov_ac * c / a**3
    return np.sqrt(np.maximum(var_a, 0.0)), np.sqrt(np.maximum(var_b, 0.0))


def _inverse(information: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(information)
    except np.linalg.LinAlgError:
        # Too few persons for as many parameters: the pseudo-inverse still gives the SEs of
        # the estimable directions (and huge ones for the rest).
        return np.linalg.pinv(information)


def _fit(
    correct: np.ndarray,
    presented: np.ndarray,
    posterior: np.ndarray,
    nodes: np.ndarray,
    a: np.ndarray,
    c: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Infit (information-weighted) and outfit (unweighted) mean squares per item.

    The residuals are averaged over each person's posterior of θ rather than taken at the
    EAP point: EAP is shrunk toward the mean, most on short or sparse forms, which pushes
    both mean squares below 1 for items that fit. Under the model the posterior-averaged
    squared residual has expectation P(1 - P) exactly, so fitting items sit at 1 on any
    design; on long complete forms the two ways agree.
    """
    p = expit(nodes[:, np.newaxis] * a[np.newaxis, :] + c[np.newaxis, :])
    wrong = presented - correct
    expected_p = posterior @ p
    expected_p2 = posterior @ p**2
    # (x - P)^2 is 1 - 2P + P^2 for a right answer and P^2 for a wrong one; divided by
    # P(1 - P) it is (1 - P)/P and P/(1 - P).
    squared = correct * (1 - 2 * expected_p + expected_p2) + wrong * expected_p2
    variance = presented * (expected_p - expected_p2)
    odds = np.exp(np.clip(nodes[:, np.newaxis] * a + c, -700, 700))
    standardized = correct * (posterior @ (1 / odds)) + wrong * (posterior @ odds)
    outfit = standardized.sum(axis=0) / presented.sum(axis=0)
    infit = squared.sum(axis=0) / variance.sum(axis=0)
    return infit, outfit


def _number(data: dict[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CalibrationError(f"{where}.{key}: expected a number")
    return float(value)


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
