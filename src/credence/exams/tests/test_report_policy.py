"""The diagnostic report's figures (decision 0044): the Wilson band and KR-21 against values
worked by hand and against the binomial error model's known truth, the standing against the
pass mark, the weakest domains; then properties."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from credence.exams.reports.policy import (
    MIN_GROUP,
    DomainReport,
    DomainResult,
    Standing,
    diagnose,
    domain_report,
    kr21,
    weakest,
    wilson_band,
)

CUT = Decimal(70)


def test_the_wilson_band_of_15_of_20_at_one_standard_error_is_9_14ths_to_5_6ths():
    low, high = wilson_band(0.75, 20, z=1.0)

    assert low == pytest.approx(9 / 14)
    assert high == pytest.approx(5 / 6)


def test_the_band_at_none_and_at_full_marks_stays_inside_0_to_1_and_is_not_zero_wide():
    assert wilson_band(0.0, 10)[0] == 0.0 and wilson_band(0.0, 10)[1] > 0.05
    assert wilson_band(1.0, 10)[1] == 1.0 and wilson_band(1.0, 10)[0] < 0.95


@pytest.mark.parametrize("items", [10, 20, 40])
def test_the_band_covers_the_true_share_about_68_percent_of_the_time(items):
    # Exact coverage under the binomial (no simulation noise), averaged over true shares:
    # a discrete band's coverage oscillates with p, its average sits at the nominal level.
    shares = np.linspace(0.3, 0.95, 27)
    coverage = [
        sum(
            binom.pmf(x, items, p)
            for x in range(items + 1)
            if wilson_band(x / items, items)[0] <= p <= wilson_band(x / items, items)[1]
        )
        for p in shares
    ]
    assert float(np.mean(coverage)) == pytest.approx(0.6827, abs=0.03)


def test_kr21_of_a_hand_worked_group():
    # 4 items, marks 0..4 once each: mean 2, variance 2 -> 4/3 * (1 - 2*2/(4*2)) = 2/3
    assert kr21([0, 1, 2, 3, 4], 4) == pytest.approx(2 / 3)


def test_kr21_has_no_value_without_variance_or_with_a_single_item():
    assert kr21([3, 3, 3], 5) is None
    assert kr21([0, 1, 1], 1) is None
    assert kr21([2], 5) is None


@pytest.mark.parametrize(("a", "b"), [(6, 3), (2, 1), (1, 1)])
def test_kr21_recovers_the_reliability_of_a_beta_binomial_group(a, b):
    # True share p ~ Beta(a, b), marks ~ Binomial(20, p): the reliability of the domain score
    # is k / (k + a + b) exactly (Lord's binomial error model).
    rng = np.random.default_rng(16)
    marks = rng.binomial(20, rng.beta(a, b, 3000))

    assert kr21(marks.tolist(), 20) == pytest.approx(20 / (20 + a + b), abs=0.02)


@pytest.fixture(scope="module")
def wide_group():
    """A heterogeneous group on 20 items: KR-21 about 0.87, well above the floor."""
    rng = np.random.default_rng(5)
    marks = rng.binomial(20, rng.beta(2, 1, MIN_GROUP * 3))
    return [Decimal(int(m) * 5) for m in marks]


def test_a_band_wholly_over_the_pass_mark_is_above(wide_group):
    report = domain_report(DomainResult("t", 20, Decimal(95)), cut=CUT, group=wide_group)

    assert report.reliability == pytest.approx(0.87, abs=0.04)
    assert (report.standing, report.low, report.high) == (
        Standing.ABOVE,
        Decimal("87.6"),
        Decimal("98.1"),
    )


def test_a_band_wholly_under_is_below_and_one_holding_the_mark_is_near(wide_group):
    below = domain_report(DomainResult("t", 20, Decimal(50)), cut=CUT, group=wide_group)
    near = domain_report(DomainResult("t", 20, Decimal(75)), cut=CUT, group=wide_group)

    assert below.standing == Standing.BELOW and below.high < CUT
    assert near.standing == Standing.NEAR and near.low < CUT <= near.high


def test_a_small_group_cannot_tell_and_says_why(wide_group):
    report = domain_report(
        DomainResult("t", 20, Decimal(95)), cut=CUT, group=wide_group[: MIN_GROUP - 1]
    )

    assert (report.standing, report.reliability) == (Standing.CANNOT_TELL, None)
    assert f"({MIN_GROUP - 1} of {MIN_GROUP})" in report.why


def test_an_unreliable_domain_cannot_tell_even_far_from_the_mark():
    # A homogeneous group: everyone's true share 0.7, so the marks vary by error alone.
    rng = np.random.default_rng(7)
    group = [Decimal(int(m) * 10) for m in rng.binomial(10, 0.7, 200)]
    report = domain_report(DomainResult("t", 10, Decimal(0)), cut=CUT, group=group)

    assert report.standing == Standing.CANNOT_TELL
    assert report.reliability is not None and 0 <= report.reliability < 0.2
    assert "not reliable enough" in report.why


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least one item"):
        wilson_band(0.5, 0)
    with pytest.raises(ValueError, match="from 0 to 100"):
        domain_report(DomainResult("t", 5, Decimal(101)), cut=CUT, group=())


def test_diagnose_keeps_the_forms_order_and_each_domains_own_group(wide_group):
    reports = diagnose(
        [DomainResult("b", 20, Decimal(40)), DomainResult("a", 20, Decimal(90))],
        cut=CUT,
        groups={"a": wide_group},
    )

    assert [r.topic for r in reports] == ["b", "a"]
    assert [r.group for r in reports] == [0, len(wide_group)]


def _domain(topic: str, percent: int) -> DomainReport:
    return domain_report(DomainResult(topic, 10, Decimal(percent)), cut=CUT, group=())


def test_the_weakest_are_the_lowest_under_the_mark_at_most_two():
    domains = [_domain("a", 60), _domain("b", 30), _domain("c", 90), _domain("d", 50)]

    assert [d.topic for d in weakest(domains, cut=CUT)] == ["b", "d"]


def test_with_nothing_under_the_mark_the_lowest_is_named_unless_it_is_full_marks():
    assert [d.topic for d in weakest([_domain("a", 90), _domain("b", 80)], cut=CUT)] == ["b"]
    assert weakest([_domain("a", 100)], cut=CUT) == ()


@settings(max_examples=200, deadline=None)
@given(
    items=st.integers(1, 60),
    earned=st.floats(0, 1),
    cut=st.integers(0, 100),
    spread=st.integers(0, 20),
)
def test_the_band_holds_the_subscore_and_the_standing_agrees_with_it(items, earned, cut, spread):
    percent = Decimal(round(earned * items) * 100) / items
    percent = percent.quantize(Decimal("0.01"))
    group = [Decimal((i * spread) % 101) for i in range(MIN_GROUP)]
    report = domain_report(DomainResult("t", items, percent), cut=Decimal(cut), group=group)

    assert report.low <= percent.quantize(Decimal("0.1")) <= report.high
    if report.standing == Standing.ABOVE:
        assert percent >= cut
    if report.standing == Standing.BELOW:
        assert percent < cut
    if report.standing != Standing.CANNOT_TELL:
        assert report.reliability is not None and report.reliability >= 0.70
