"""Item screening and the convergence rule (decision 0042), on simulated data of known truth:
a miskeyed item (true a = -1), a pure-noise item and an item seen by six candidates among
good 2PL items. One simulation for the module; the 2PL fit is the only slow step (~1 s)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.items.api import Observation, item_statistics
from credence.psychometrics import policy
from credence.psychometrics.irt import Calibration, calibrate, probability
from credence.psychometrics.simulation import simulate

PERSONS, ITEMS = 300, 20
MISKEYED, NOISE, RARE = "item-001", "item-002", "item-003"


@pytest.fixture(scope="module")
def responses() -> tuple[np.ndarray, list[str]]:
    data = simulate(PERSONS, ITEMS, seed=7)
    rng = np.random.default_rng(3)
    table = data.responses.copy()
    # miskeyed: abler candidates answer it wrong more often (true a = -1)
    table[:, 0] = rng.random(PERSONS) < probability(data.theta, np.array([-1.0]), np.zeros(1))[:, 0]
    table[:, 1] = rng.random(PERSONS) < 0.5  # pure noise: a coin, whatever the ability
    table[6:, 2] = np.nan  # seen by six candidates only
    return table, data.item_ids


def evidence(fitted: Calibration, table: np.ndarray) -> list[policy.ItemEvidence]:
    present = ~np.isnan(table)
    statistics = {
        stats.item: stats
        for stats in item_statistics(
            [
                Observation(
                    candidate=str(person), item=int(column), share=float(table[person, column])
                )
                for person, column in zip(*np.nonzero(present), strict=True)
            ]
        )
    }
    return [
        policy.ItemEvidence(
            id=item.id,
            a=item.a,
            b=item.b,
            se_a=item.se_a,
            se_b=item.se_b,
            infit=item.infit,
            outfit=item.outfit,
            responses=statistics[j].n,
            point_biserial=statistics[j].discrimination,
        )
        for j, item in enumerate(fitted.items)
    ]


@pytest.fixture(scope="module")
def fitted_2pl(responses) -> Calibration:
    return calibrate(*responses, model="2pl")


@pytest.fixture(scope="module")
def fitted_rasch(responses) -> Calibration:
    return calibrate(*responses, model="rasch")


def flagged(screens: list[policy.ItemScreen]) -> dict[str, set[str]]:
    return {s.item: {flag.code for flag in s.flags} for s in screens if s.flags}


@pytest.mark.parametrize("model", ["2pl", "rasch"])
def test_the_bad_items_are_flagged_and_the_good_ones_are_not(model, responses, request):
    fitted = request.getfixturevalue(f"fitted_{model}")
    screens = policy.screen_items(
        evidence(fitted, responses[0]), model=model, limits=policy.ScreeningLimits()
    )
    flags = flagged(screens)
    assert set(flags) == {MISKEYED, NOISE, RARE}
    assert "discrimination" in flags[MISKEYED] and "discrimination" in flags[NOISE]
    assert "responses" in flags[RARE]
    miskeyed = next(s for s in screens if s.item == MISKEYED)
    assert not miskeyed.decision.allowed
    assert "Negative discrimination" in miskeyed.decision.reason
    assert all(s.decision.allowed for s in screens if s.item not in flags)


def test_a_2pl_pins_the_miskeyed_and_the_noise_item_at_the_lower_bound(fitted_2pl, responses):
    flags = flagged(
        policy.screen_items(
            evidence(fitted_2pl, responses[0]), model="2pl", limits=policy.ScreeningLimits()
        )
    )
    assert "bound" in flags[MISKEYED] and "bound" in flags[NOISE]
    assert "standard-error" in flags[RARE]


def test_the_minimum_of_responses_is_a_limit_of_its_own(fitted_rasch, responses):
    items = evidence(fitted_rasch, responses[0])
    loose = policy.screen_items(
        items, model="rasch", limits=policy.ScreeningLimits(min_responses=5)
    )
    strict = policy.screen_items(
        items, model="rasch", limits=policy.ScreeningLimits(min_responses=PERSONS + 1)
    )
    assert "responses" not in flagged(loose).get(RARE, set())
    assert all("responses" in codes for codes in flagged(strict).values())
    assert len(flagged(strict)) == ITEMS


def test_drift_is_measured_after_matching_the_scales(fitted_2pl, responses):
    """A previous calibration on another scale (b' = 0.7 b + 0.5, a' = a / 0.7) is no drift;
    one item that moved by a logit beyond that is."""
    items = evidence(fitted_2pl, responses[0])
    previous = {item.id: (item.a / 0.7, 0.7 * item.b + 0.5) for item in items}
    moved = "item-010"
    previous[moved] = (previous[moved][0], previous[moved][1] + 1.0)
    flags = flagged(
        policy.screen_items(items, model="2pl", limits=policy.ScreeningLimits(), previous=previous)
    )
    drifted = {item for item, codes in flags.items() if "drift" in codes}
    assert drifted == {moved}


def test_a_parameter_near_its_upper_bound_is_flagged():
    item = policy.ItemEvidence("q", 9.5, 8.5, 0.3, 0.2, 1.0, 1.0, 500, 0.4)
    (screen,) = policy.screen_items([item], model="2pl", limits=policy.ScreeningLimits())
    assert [flag.code for flag in screen.flags] == ["bound", "bound"]
    assert "upper bound 10" in screen.flags[0].reason


@given(
    a=st.floats(0.2, 4.0),
    b=st.floats(-4.0, 4.0),
    se=st.floats(0.01, 0.9),
    fit=st.floats(0.75, 1.25),
    responses=st.integers(30, 10_000),
    point_biserial=st.floats(0.1, 0.9),
)
def test_an_item_within_every_limit_is_never_flagged(a, b, se, fit, responses, point_biserial):
    item = policy.ItemEvidence("q", a, b, se, se, fit, fit, responses, point_biserial)
    limits = policy.ScreeningLimits()
    (screen,) = policy.screen_items([item], model="2pl", limits=limits)
    assert screen.flags == ()
    # and any one limit broken flags it, with a reason
    for broken in (
        replace(item, responses=limits.min_responses - 1),
        replace(item, point_biserial=-0.01),
        replace(item, infit=1.31),
        replace(item, se_b=math.inf),
        replace(item, a=0.05),
    ):
        (screen,) = policy.screen_items([broken], model="2pl", limits=limits)
        assert screen.flags and not screen.decision.allowed and screen.decision.reason


def test_a_2pl_on_one_item_is_unidentified(responses):
    table, ids = responses
    fitted = calibrate(table[:, 3:4], ids[3:4], model="2pl")
    decision = policy.calibration_usable(policy.FitReport.of(fitted))
    assert not decision.allowed
    assert "not identified" in decision.reason
    assert not policy.model_identified(policy.FitReport.of(fitted)).allowed


def test_too_few_iterations_is_no_convergence(responses):
    table, ids = responses
    fitted = calibrate(table[:, 3:], ids[3:], model="rasch", max_iterations=2)
    decision = policy.calibration_usable(policy.FitReport.of(fitted))
    assert not decision.allowed and "did not converge: after 2 iterations" in decision.reason


def test_a_converged_identified_calibration_is_usable(fitted_rasch):
    assert policy.calibration_usable(policy.FitReport.of(fitted_rasch)).allowed


def test_an_exploded_standard_error_is_unidentified():
    report = policy.FitReport("2pl", True, 5, 1e-5, 10, (0.2, 0.3, 2.1e16, 0.1))
    decision = policy.calibration_usable(report)
    assert not decision.allowed and "singular" in decision.reason
    missing = replace(report, standard_errors=(0.2, None))
    assert not policy.calibration_usable(missing).allowed


def test_who_may_accept_a_flagged_item():
    assert policy.may_accept_item(flagged=True, accepted=False, reason="key checked").allowed
    assert not policy.may_accept_item(flagged=True, accepted=False, reason="  ").allowed
    assert not policy.may_accept_item(flagged=True, accepted=True, reason="again").allowed
    assert not policy.may_accept_item(flagged=False, accepted=False, reason="why").allowed


def test_no_more_candidates_than_parameters_cannot_give_standard_errors():
    report = policy.FitReport("rasch", True, 30, 1e-5, 63, (0.3,) * 126, persons=40)
    decision = policy.calibration_usable(report)
    assert not decision.allowed and "40 for its 64 parameters" in decision.reason
    assert policy.calibration_usable(replace(report, persons=65)).allowed
    assert not policy.calibration_usable(replace(report, model="2pl", persons=126)).allowed


def test_adoption_on_a_calibration_that_may_not_be_used_is_refused_with_its_reason():
    why = policy.Refused(policy.CONVERGENCE_RULE, "The calibration did not converge.")
    panel = policy.Panel.of(["p1", "p2", "p3"], ["1"], {(p, "1"): 0.5 for p in ("p1", "p2", "p3")})
    adoption = policy.Adoption(calibrated=False, already_adopted=False, unusable=why)
    assert policy.may_adopt(adoption, panel) == why
    assert policy.may_adopt(replace(adoption, calibrated=True, unusable=None), panel).allowed
