"""How good a form's pass/fail decision is at the cut (decisions 0019 and 0041).

* Marginal reliability from the test information, rho = 1 / (1 + E[1/I(θ)]) over θ ~ N(0, 1)
  (Green, Bock, Humphreys, Linn & Reckase 1984), and KR-20 on observed 0/1 data.
* The session's own ability distribution (``session_population``): a normal N(mean, SD)
  fitted to its candidates' responses by marginal maximum likelihood with the calibrated item
  parameters fixed; the distribution the accuracy is weighted by is the average of the
  candidates' posteriors under that prior. A fixed N(0, 1) would weight the wrong people: the
  calibration's scale is centred on everybody ever calibrated, not on this session.
* Classification accuracy and consistency by Rudner's method (Rudner 2001, 2005): at each θ
  the estimate is taken as normal around θ with SE 1/√I(θ); accuracy is the probability that
  the estimate falls on the same side of the cut as the true θ, consistency the probability
  that two independent administrations of the form fall on the same side (P² + (1 - P)²).
* The same two figures by simulation from the calibrated model (seeded): true θ drawn from the
  population, responses from the 2PL, the decision made as Credence makes it (raw score on
  the form at or above the form's raw cut TCC(θ_cut)). Rudner's normal approximation runs
  high on short forms and far from the centre, where the discrete raw score decides; the
  simulation does not.
* Livingston & Lewis (1995) for forms scored by their raw percent: the true proportion-correct
  score is beta distributed with the observed mean and the true-score variance rho·var; the
  observed score is binomial on the effective test length
  n = (mean·(K - mean) - rho·var) / ((1 - rho)·var), so that its error variance is the
  observed one (K items, reliability rho, observed variance var).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import bdtrc, betainc, ndtr

from credence.psychometrics.irt import probability
from credence.psychometrics.scoring import test_characteristic, test_information

#: A grid finer than the calibration's (every 0.025 θ), because the probability of a correct
#: classification changes fastest right at the cut.
GRID = np.linspace(-6.0, 6.0, 481)
STEP = float(GRID[1] - GRID[0])

#: The fitted SD never goes below two grid steps: a session of one candidate (or of identical
#: ones) has no spread to estimate, and a spike narrower than the grid would fall between its
#: points.
MIN_SD = 2 * STEP
#: The fit of (mean, SD) stops after this many quasi-Newton steps at the latest; it needs
#: about a dozen.
MAX_ITERATIONS = 200

#: Simulees per form: the simulated accuracy's standard error is then at most
#: √(0.25 / 10,000) = 0.005.
SIMULEES = 10_000
#: A session whose candidates each sat their own form (forms drawn from the bank) shares this
#: many simulees among its forms, each form getting at least MIN_SIMULEES (SE at most 0.011),
#: so that its page stays quick to show.
SESSION_SIMULEES = 300_000
MIN_SIMULEES = 2_000

#: Bins of the true proportion-correct score in Livingston-Lewis.
TRUE_SCORE_BINS = 2_000


@dataclass(frozen=True)
class DecisionQuality:
    accuracy: float
    consistency: float
    # share of the population above the cut, for the reader's sense of the base rate
    passing: float


@dataclass(frozen=True)
class Population:
    """Abilities of a group of candidates on the calibration's scale: the fitted normal and
    the weights over ``GRID`` that accuracy is averaged with (they sum to one)."""

    mean: float
    sd: float
    persons: int
    weights: np.ndarray

    @classmethod
    def normal(cls, mean: float = 0.0, sd: float = 1.0) -> Population:
        """A normal population, N(0, 1) by default: the calibration's own prior."""
        weights = _normal_pdf(GRID, mean, sd)
        return cls(mean=mean, sd=sd, persons=0, weights=weights / weights.sum())


def _normal_pdf(x: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """The N(mean, sd²) density. The distributions here come from ``scipy.special``, not
    ``scipy.stats``, whose import costs 0.8 s in every process that loads the pages (the
    demo, ``serve``, each command that names a URL) though few of them compute accuracy."""
    z = (x - mean) / sd
    return np.exp(-0.5 * z * z) / (sd * math.sqrt(2 * math.pi))


def _normal_weights(nodes: np.ndarray) -> np.ndarray:
    weights = _normal_pdf(nodes)
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


def session_population(responses: np.ndarray, a: np.ndarray, b: np.ndarray) -> Population:
    """The ability distribution of the candidates whose 1/0/nan ``responses`` (persons x
    items, nan where an item was not on a candidate's form) are given, items calibrated as
    ``a`` and ``b``.

    The mean and SD maximise the marginal likelihood over ``GRID`` with the items fixed. The
    weights are the candidates' average posterior under that prior: at the maximum it has the
    fitted mean and SD, and it keeps whatever shape the candidates' answers show beyond the
    normal. Persons without a single response carry no
    information and are left out; ``ValueError`` when nobody is left."""
    data = np.atleast_2d(np.asarray(responses, dtype=float))
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or data.shape[1] != a.size:
        raise ValueError(
            f"{data.shape[1]} response columns for {a.size} discriminations and "
            f"{b.size} difficulties"
        )
    presented = ~np.isnan(data)
    if np.any(presented & (data != 0.0) & (data != 1.0)):
        raise ValueError("responses must be 1, 0 or nan (not presented)")
    data, presented = data[presented.any(axis=1)], presented[presented.any(axis=1)]
    if data.shape[0] == 0:
        raise ValueError("no candidate answered any calibrated item")
    correct = np.nan_to_num(data, nan=0.0)
    p = probability(GRID, a, b)
    log_likelihood = correct @ np.log(p).T + (presented - correct) @ np.log1p(-p).T
    # each person's likelihood scaled to a maximum of one: the posterior is unchanged
    likelihood = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    # only the part of the grid where somebody's likelihood is not negligible matters for
    # the fit; the rest would only cost time
    support = likelihood.max(axis=0) > 1e-12
    nodes, within = GRID[support], likelihood[:, support]

    def deviance(point: np.ndarray) -> tuple[float, np.ndarray]:
        """-log marginal likelihood of (mean, log SD) and its gradient: the sum over persons of
        the posterior mean of the prior's score, less the prior's own mean of it (the prior
        is normalised on the grid)."""
        mean, sd = float(point[0]), math.exp(float(point[1]))
        prior = _normal_pdf(nodes, mean, sd)
        prior /= prior.sum()
        joint = within * prior
        marginal = np.maximum(joint.sum(axis=1), 1e-300)
        z = (nodes - mean) / sd
        scores = np.stack([z / sd, z**2 - 1])  # d log prior / d mean, / d log SD
        posterior_scores = (joint @ scores.T) / marginal[:, np.newaxis]
        gradient = posterior_scores.sum(axis=0) - len(marginal) * (scores @ prior)
        return -float(np.sum(np.log(marginal))), -gradient

    fitted = minimize(
        deviance,
        np.array([0.0, 0.0]),
        jac=True,
        method="L-BFGS-B",
        bounds=[(GRID[0], GRID[-1]), (math.log(MIN_SD), math.log(GRID[-1]))],
        options={"maxiter": MAX_ITERATIONS},
    )
    mean, sd = float(fitted.x[0]), math.exp(float(fitted.x[1]))
    average = _posterior(likelihood, mean, sd).mean(axis=0)
    return Population(mean=mean, sd=sd, persons=data.shape[0], weights=average / average.sum())


def _posterior(likelihood: np.ndarray, mean: float, sd: float) -> np.ndarray:
    joint = likelihood * _normal_pdf(GRID, mean, sd)
    total = joint.sum(axis=1, keepdims=True)
    # a prior far from a person's likelihood can leave them nothing on the grid: they then
    # count with their likelihood alone rather than vanish
    empty = total[:, 0] == 0
    joint[empty] = likelihood[empty]
    return joint / joint.sum(axis=1, keepdims=True)


def rudner(
    a: np.ndarray, b: np.ndarray, theta_cut: float, population: Population | None = None
) -> DecisionQuality:
    """Rudner's classification accuracy and consistency at ``theta_cut`` over ``population``
    (θ ~ N(0, 1) without one)."""
    weights = (population or Population.normal()).weights
    standard_error = 1.0 / np.sqrt(test_information(GRID, a, b))
    passes = ndtr((GRID - theta_cut) / standard_error)  # P(estimate ≥ cut | θ)
    above = theta_cut <= GRID
    correct = np.where(above, passes, 1.0 - passes)
    return DecisionQuality(
        accuracy=float(np.sum(weights * correct)),
        consistency=float(np.sum(weights * (passes**2 + (1.0 - passes) ** 2))),
        passing=float(np.sum(weights[above])),
    )


def simulated(
    a: np.ndarray,
    b: np.ndarray,
    theta_cut: float,
    population: Population | None = None,
    *,
    persons: int = SIMULEES,
    seed: int = 0,
    keys: Sequence[int] | None = None,
) -> DecisionQuality:
    """Accuracy and consistency of the raw-score decision, simulated from the model: θ from
    ``population`` (N(0, 1) without one), two independent administrations of the form.

    ``keys`` (one non-negative number per item, such as its version id) give every item its
    own stream of random numbers: forms of one session that share items then share the
    simulees' answers to them (common random numbers), so that their figures differ by what
    their items differ by and not by chance."""
    rng = np.random.default_rng(seed)
    weights = (population or Population.normal()).weights
    # a grid point drawn by its weight, then spread evenly over its cell: a continuous θ
    theta = rng.choice(GRID, size=persons, p=weights) + rng.uniform(-STEP / 2, STEP / 2, persons)
    raw_cut = float(test_characteristic(np.array([theta_cut]), a, b)[0])
    p = probability(theta, a, b)
    if keys is None:
        first_draws, second_draws = rng.random(p.shape), rng.random(p.shape)
    else:
        if len(keys) != p.shape[1]:
            raise ValueError(f"{len(keys)} keys for {p.shape[1]} items")
        first_draws, second_draws = np.stack(
            [np.random.default_rng([seed, key]).random((2, persons)) for key in keys], axis=-1
        )
    first = (first_draws < p).sum(axis=1) >= raw_cut
    second = (second_draws < p).sum(axis=1) >= raw_cut
    truly = theta >= theta_cut
    return DecisionQuality(
        accuracy=float(np.mean(first == truly)),
        consistency=float(np.mean(first == second)),
        passing=float(np.mean(truly)),
    )


def simulees_per_form(forms: int) -> int:
    """How many simulees each of a session's ``forms`` gets (see SESSION_SIMULEES)."""
    return max(MIN_SIMULEES, min(SIMULEES, SESSION_SIMULEES // max(forms, 1)))


def livingston_lewis(
    *, mean: float, variance: float, reliability: float, maximum: float, raw_cut: float
) -> DecisionQuality | None:
    """Livingston-Lewis accuracy and consistency of "raw score ≥ ``raw_cut``" on a form
    scored 0..``maximum`` whose candidates' scores have ``mean``, ``variance`` and
    ``reliability`` (KR-20 or alpha).

    ``None`` where the model has nothing to stand on: a reliability outside (0, 1), no
    spread, a mean at an end of the scale, or a true-score variance a beta cannot have."""
    if not (0 < reliability < 1 and variance > 0 and 0 < mean < maximum and raw_cut >= 0):
        return None
    length = (mean * (maximum - mean) - reliability * variance) / ((1 - reliability) * variance)
    if length < 1:
        return None
    n = round(length)
    share = mean / maximum
    true_variance = reliability * variance / maximum**2
    spread = share * (1 - share) / true_variance - 1
    if spread <= 0:
        return None
    cut = min(raw_cut / maximum, 1.0)
    # bins of the true proportion on each side of the cut, so that no bin straddles it
    edges = np.unique(np.concatenate([np.linspace(0, 1, TRUE_SCORE_BINS + 1), [cut]]))
    weights = np.diff(betainc(share * spread, (1 - share) * spread, edges))  # Beta CDF
    tau = (edges[:-1] + edges[1:]) / 2
    # the least passing score on the effective length: n·cut, up to the next whole score
    least = math.ceil(n * cut - 1e-9)
    passes = bdtrc(least - 1, n, tau)  # P(X ≥ least), X ~ Binomial(n, τ); least ≤ n
    above = tau >= cut
    total = weights.sum()
    return DecisionQuality(
        accuracy=float(np.sum(weights * np.where(above, passes, 1 - passes)) / total),
        consistency=float(np.sum(weights * (passes**2 + (1 - passes) ** 2)) / total),
        passing=float(np.sum(weights[above]) / total),
    )


def livingston_lewis_of(table: np.ndarray, raw_cut: float) -> DecisionQuality | None:
    """Livingston-Lewis from a complete persons x items table of shares (0..1) of one form,
    reliability by KR-20 (alpha); ``None`` where KR-20 or the model is undefined."""
    data = np.asarray(table, dtype=float)
    reliability = kr20(data)
    if reliability is None:
        return None
    totals = data.sum(axis=1)
    return livingston_lewis(
        mean=float(totals.mean()),
        variance=float(totals.var(ddof=1)),
        reliability=reliability,
        maximum=float(data.shape[1]),
        raw_cut=raw_cut,
    )
