"""The Angoff cut on the θ scale and its standard error, against known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.psychometrics.cut import characteristic_slope, cut_on_theta
from credence.psychometrics.equating import theta_for_raw
from credence.psychometrics.policy import Panel, recommend


def test_a_rasch_form_centred_at_zero_has_a_closed_form_answer():
    # 40 Rasch items at b = 0: TCC(θ) = 40 logistic(θ), slope 40 · ¼ = 10 at θ = 0. Four panellists
    # rate every item alike, so their cuts are 18, 19, 21 and 22: mean 20 (θ = 0), SD √(10/3).
    items = 40
    cuts = (18, 19, 21, 22)
    panel = Panel(
        panellists=tuple(f"p{k}" for k in range(len(cuts))),
        items=tuple(f"i{j}" for j in range(items)),
        ratings=tuple(tuple([cut / items] * items) for cut in cuts),
    )
    recommendation = recommend(panel)
    a, b = np.ones(items), np.zeros(items)

    cut = cut_on_theta(recommendation.raw_cut, recommendation.standard_error, a, b)

    raw_error = math.sqrt(10 / 3) / 2
    assert recommendation.standard_error == pytest.approx(raw_error)
    assert cut.theta == pytest.approx(0.0, abs=1e-9)
    assert cut.standard_error == pytest.approx(raw_error / 10)
    # the band through the curve: logit((20 ± SE_raw) / 40), symmetric about 0 here
    assert cut.high == pytest.approx(math.log((20 + raw_error) / (20 - raw_error)))
    assert cut.low == pytest.approx(-cut.high)


def test_the_standard_error_is_the_spread_of_the_cut_over_replicated_panels():
    # known truth: panellists' raw cuts ~ N(18, 2) on a 30-item 2PL form; over 800 panels of
    # eight the θ cuts spread as the delta-method SE says (sampling error of an SD: ±4 %)
    rng = np.random.default_rng(16)
    a = rng.uniform(0.6, 1.8, 30)
    b = rng.normal(0.0, 1.0, 30)
    panels = rng.normal(18.0, 2.0, size=(800, 8))
    thetas = [theta_for_raw(float(cuts.mean()), a, b) for cuts in panels]
    errors = [
        cut_on_theta(float(c.mean()), float(c.std(ddof=1) / math.sqrt(8)), a, b).standard_error
        for c in panels[:100]
    ]
    assert float(np.std(thetas, ddof=1)) == pytest.approx(float(np.mean(errors)), rel=0.1)


@given(
    raw=st.floats(min_value=2.0, max_value=18.0),
    error=st.floats(min_value=0.0, max_value=0.5),
)
def test_the_band_holds_the_cut_and_matches_the_delta_method_for_small_errors(raw, error):
    a = np.linspace(0.5, 2.0, 20)
    b = np.linspace(-2.0, 2.0, 20)
    cut = cut_on_theta(raw, error, a, b)
    assert cut.low <= cut.theta <= cut.high
    assert cut.standard_error == pytest.approx(error / characteristic_slope(cut.theta, a, b))
    # to first order the band is θ ± SE; away from the ends of the form (raw 2 to 18 of 20)
    # and for a panel's usual error the curve bends little over it
    assert (cut.high - cut.low) / 2 == pytest.approx(cut.standard_error, rel=0.05, abs=1e-6)


def test_a_cut_at_the_end_of_the_scale_has_no_finite_standard_error():
    a, b = np.ones(10), np.zeros(10)
    assert math.isinf(cut_on_theta(10.0, 0.5, a, b).standard_error)
    assert math.isinf(cut_on_theta(0.0, 0.5, a, b).standard_error)
