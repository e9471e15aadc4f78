"""Reliability and decision accuracy at the cut (decision 0019): Rudner's method against a
simulation from the same model."""

from __future__ import annotations

import numpy as np
import pytest

from credence.psychometrics.accuracy import kr20, marginal_reliability, rudner, simulated

RNG = np.random.default_rng(3)


@pytest.mark.parametrize(("items", "theta_cut"), [(20, -0.5), (40, 0.0), (60, 0.4), (60, 1.2)])
def test_rudners_accuracy_is_within_two_points_of_the_simulated_one(items, theta_cut):
    a = RNG.uniform(0.7, 2.0, items)
    b = RNG.normal(0, 1, items)

    computed = rudner(a, b, theta_cut)
    observed = simulated(a, b, theta_cut, persons=20_000, seed=11)

    assert computed.accuracy == pytest.approx(observed.accuracy, abs=0.02)
    assert computed.consistency == pytest.approx(observed.consistency, abs=0.02)
    assert computed.passing == pytest.approx(observed.passing, abs=0.02)


def test_a_longer_form_decides_more_accurately_and_is_more_reliable():
    a = np.full(80, 1.2)
    b = np.linspace(-2, 2, 80)

    short, long = rudner(a[::4], b[::4], 0.0), rudner(a, b, 0.0)

    assert long.accuracy > short.accuracy
    assert marginal_reliability(a, b) > marginal_reliability(a[::4], b[::4])
    assert 0 < marginal_reliability(a[::4], b[::4]) < 1


def test_the_simulation_is_seeded():
    a, b = np.ones(10), np.zeros(10)
    assert simulated(a, b, 0.0, persons=500, seed=1) == simulated(a, b, 0.0, persons=500, seed=1)


def test_kr20_of_a_known_table():
    # five persons, four items; p = .6 .6 .4 .4, totals 4 3 2 1 0 (variance 2.5)
    table = np.array(
        [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]], dtype=float
    )
    item_variances = table.var(axis=0, ddof=1).sum()
    expected = 4 / 3 * (1 - item_variances / table.sum(axis=1).var(ddof=1))

    assert kr20(table) == pytest.approx(expected)
    assert kr20(table[:1]) is None
    assert kr20(np.ones((3, 4))) is None
