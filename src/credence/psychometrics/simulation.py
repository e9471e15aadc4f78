"""Simulated responses with known item parameters, for recovery tests and the benchmark.

True parameters follow what operational 2PL banks look like: a ~ lognormal(0, 0.3) (median 1,
mostly 0.5-2), b ~ N(0, 1), θ ~ N(0, 1). Reproducible from the seed alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credence.psychometrics.irt import probability


@dataclass(frozen=True)
class Simulated:
    #: persons x items: 1.0, 0.0, nan (not presented)
    responses: np.ndarray
    a: np.ndarray
    b: np.ndarray
    theta: np.ndarray

    @property
    def item_ids(self) -> list[str]:
        return [f"item-{j + 1:03d}" for j in range(self.a.size)]


def simulate(
    persons: int,
    items: int,
    *,
    seed: int,
    model: str = "2pl",
    missing: float = 0.0,
    form_share: float | None = None,
    forms: int = 8,
) -> Simulated:
    """Responses of ``persons`` to ``items``.

    ``missing`` drops that share of cells at random. ``form_share`` instead draws ``forms``
    forms, each a random ``form_share`` of the bank (so forms overlap), and gives every person
    one form at random: the sparse design of a bank with linear forms.
    """
    rng = np.random.default_rng(seed)
    a = np.ones(items) if model == "rasch" else rng.lognormal(0.0, 0.3, items)
    b = rng.normal(0.0, 1.0, items)
    theta = rng.normal(0.0, 1.0, persons)
    responses = (rng.random((persons, items)) < probability(theta, a, b)).astype(float)
    if missing:
        responses[rng.random((persons, items)) < missing] = np.nan
    if form_share is not None:
        size = max(1, round(form_share * items))
        on_form = np.zeros((forms, items), dtype=bool)
        # Every item goes on at least one form (dealt out in turn), the rest of each form is
        # drawn at random, so forms overlap as forms assembled from one bank do.
        for form in range(forms):
            dealt = np.arange(form, items, forms)[:size]
            others = np.setdiff1d(np.arange(items), dealt)
            drawn = rng.choice(others, size=size - dealt.size, replace=False)
            on_form[form, np.concatenate([dealt, drawn])] = True
        taken = rng.integers(0, forms, persons)
        responses[~on_form[taken]] = np.nan
    return Simulated(responses=responses, a=a, b=b, theta=theta)
