"""Stocking-Lord linking of a recalibration to the reference scale (decision 0043), on
simulated banks of known truth: one bank of 50 items calibrated on a group θ ~ N(0, 1), then
recalibrated on an abler, more homogeneous group θ ~ N(0.8, 0.7), in which one item was made
1.5 harder (exposed, or changed without a new version)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from credence.psychometrics import irt, linking
from credence.psychometrics.equating import expected_raw, theta_for_raw

ITEMS = 50
PERSONS = 2000
DRIFTED = 3  # the item made harder for the second group
FORM = slice(0, 30)  # a form of the bank's first 30 items


def _responses(theta: np.ndarray, a: np.ndarray, b: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.random((theta.size, a.size)) < irt.probability(theta, a, b)).astype(float)


@pytest.fixture(scope="module")
def bank() -> tuple[irt.Calibration, irt.Calibration]:
    """(first calibration, recalibration) of one bank: 2 x 2000 x 50 = 200,000 responses."""
    rng = np.random.default_rng(16)
    a = rng.lognormal(0.0, 0.3, ITEMS)
    b = rng.normal(0.0, 1.0, ITEMS)
    ids = [f"item-{j}" for j in range(ITEMS)]
    first = irt.calibrate(_responses(rng.normal(0.0, 1.0, PERSONS), a, b, seed=1), ids)
    drifted = b.copy()
    drifted[DRIFTED] += 1.5
    second = irt.calibrate(_responses(rng.normal(0.8, 0.7, PERSONS), a, drifted, seed=2), ids)
    return first, second


def _se_b(calibration: irt.Calibration) -> np.ndarray:
    return np.array([item.se_b for item in calibration.items])


def test_unlinked_the_recalibration_is_on_another_scale(bank):
    first, second = bank
    # on its own N(0, 1) scale the abler group makes every item look easier, and the
    # narrower one every item less discriminating (a shrinks with the group's SD): what the
    # linking has to undo, and what moved an adopted cut before
    assert np.mean(second.b - first.b) < -0.7
    assert np.mean(second.a) / np.mean(first.a) == pytest.approx(0.7, abs=0.1)


def test_linking_recovers_the_ruler_change(bank):
    first, second = bank
    result = linking.link(first, second)
    # θ_first = 0.7 θ_second + 0.8 for the generating groups. Tolerance 0.1: the constants
    # rest on both calibrations' estimates (se_b about 0.1-0.3 here, 49 anchors), whose
    # errors alone put B a few hundredths off; 0.1 on θ is a third of the standard error of
    # a candidate's θ near the cut on a 30-item form.
    assert abs(result.A - 0.7) <= 0.1
    assert abs(result.B - 0.8) <= 0.1
    # the characteristic-curve fit improves on (or equals) the mean/sigma start it began from
    assert result.criterion <= _criterion(first, second, result.start_A, result.start_B) + 1e-12


def _criterion(first, second, scale, shift) -> float:
    nodes, weights = linking._grid()
    kept = [j for j in range(ITEMS) if j != DRIFTED]
    target = irt.probability(nodes, first.a[kept], first.b[kept]).sum(axis=1)
    moved = irt.probability(nodes, second.a[kept] / scale, scale * second.b[kept] + shift)
    return float(np.sum(weights * (target - moved.sum(axis=1)) ** 2))


def test_the_drifting_anchor_is_flagged_and_dropped_and_no_stable_one(bank):
    first, second = bank
    result = linking.link(first, second)
    assert [anchor.id for anchor in result.drifted] == [f"item-{DRIFTED}"]
    (drifted,) = result.drifted
    assert drifted.displacement == pytest.approx(1.5, abs=0.3)
    assert abs(drifted.z) > linking.DRIFT_Z
    assert len(result.kept) == ITEMS - 1
    # a kept anchor may be displaced far only where its estimates are that imprecise
    for anchor in result.kept:
        assert abs(anchor.displacement) <= linking.DRIFT_MIN or abs(anchor.z) <= linking.DRIFT_Z
    assert sum(abs(anchor.displacement) > linking.DRIFT_MIN for anchor in result.kept) <= 2


def test_after_linking_the_bs_agree_with_the_first_scale(bank):
    first, second = bank
    result = linking.link(first, second)
    linked = linking.transformed(second, result.A, result.B)
    stable = np.arange(ITEMS) != DRIFTED
    difference = (linked.b - first.b)[stable]
    # each item within 3.5 standard errors of the difference (both calibrations' se_b; about
    # one item in 2000 would fall outside by chance), and no systematic shift left: the mean
    # difference within 3 standard errors of a mean of 49 such differences
    se = np.sqrt(_se_b(first) ** 2 + _se_b(linked) ** 2)[stable]
    assert np.all(np.abs(difference) <= 3.5 * se)
    assert abs(difference.mean()) <= 3 * np.sqrt(np.mean(se**2) / stable.sum())
    assert np.std(linked.a[stable]) / np.std(first.a[stable]) == pytest.approx(1, abs=0.15)


@pytest.mark.parametrize("theta_cut", [-0.5, 0.5, 1.2])
def test_an_adopted_theta_cut_keeps_its_meaning_after_linking(bank, theta_cut):
    first, second = bank
    result = linking.link(first, second)
    linked = linking.transformed(second, result.A, result.B)
    raw_cut = expected_raw(theta_cut, first.a[FORM], first.b[FORM])
    # the raw cut the standard set on the form names (within 0.1, see above) the same θ
    # under the linked recalibration, and not under the unlinked one
    assert theta_for_raw(raw_cut, linked.a[FORM], linked.b[FORM]) == pytest.approx(
        theta_cut, abs=0.1
    )
    assert abs(theta_for_raw(raw_cut, second.a[FORM], second.b[FORM]) - theta_cut) > 0.5


def test_the_linking_is_stored_and_read_back_unchanged(bank):
    first, second = bank
    result = linking.link(first, second)
    assert linking.Linking.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_items_screened_out_are_not_anchors(bank):
    first, second = bank
    result = linking.link(first, second, exclude={"item-0", "item-1"})
    assert {"item-0", "item-1"}.isdisjoint(anchor.id for anchor in result.anchors)
    assert len(result.anchors) == ITEMS - 2


def test_too_few_common_items_cannot_carry_a_scale(bank):
    first, second = bank
    few = irt.Calibration(
        model=second.model,
        converged=True,
        iterations=1,
        items=second.items[: linking.MIN_ANCHORS - 1],
        log_likelihood=math.nan,
    )
    with pytest.raises(linking.LinkingError, match="9 usable items in common"):
        linking.link(first, few)


def test_transforming_by_the_identity_changes_nothing_and_back_and_forth_is_the_identity(bank):
    first, _ = bank
    assert linking.transformed(first, 1.0, 0.0) == first
    there = linking.transformed(first, 0.7, 0.8)
    back = linking.transformed(there, 1 / 0.7, -0.8 / 0.7)
    assert np.allclose(back.a, first.a) and np.allclose(back.b, first.b)
    assert np.allclose(_se_b(there), 0.7 * _se_b(first))
