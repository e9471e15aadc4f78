"""Rules A1 and A2 as pure functions (decision 0051)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from credence.appeals.policy import ResultFacts, may_appeal, may_decide, may_review

RELEASED = date(2026, 3, 10)


def facts(status: str = "failed", released_on: date | None = RELEASED, appealed=False):
    return ResultFacts(status=status, released_on=released_on, appealed=appealed)


def test_a1_a_released_result_within_the_window():
    assert may_appeal(facts(), RELEASED + timedelta(days=30), 30).allowed
    late = may_appeal(facts(), RELEASED + timedelta(days=31), 30)
    assert (late.rule, late.allowed, late.never) == ("A1", False, True)
    assert "ended on" in late.reason and "30 days after its release" in late.reason


def test_a1_only_released_results_and_only_once():
    for status in ("booked", "cancelled"):
        refused = may_appeal(facts(status=status, released_on=None), RELEASED, 30)
        assert refused.rule == "A1" and "Only a released result" in refused.reason
    again = may_appeal(facts(appealed=True), RELEASED, 30)
    assert not again.allowed and "appealed already" in again.reason


@given(
    status=st.sampled_from(["passed", "failed", "no_show", "excused", "booked", "cancelled"]),
    window=st.integers(1, 365),
    after=st.integers(-5, 400),
    appealed=st.booleans(),
)
def test_a1_allows_exactly_released_unappealed_results_inside_the_window(
    status, window, after, appealed
):
    released = status not in ("booked", "cancelled")
    decision = may_appeal(
        facts(status=status, released_on=RELEASED if released else None, appealed=appealed),
        RELEASED + timedelta(days=after),
        window,
    )
    assert decision.allowed == (released and not appealed and after <= window)
    assert decision.rule == "A1"


@given(
    reviewer=st.integers(1, 9),
    candidate=st.integers(1, 9),
    involved=st.frozensets(st.integers(1, 9)),
)
def test_a2_the_reviewer_is_neither_the_candidate_nor_involved(reviewer, candidate, involved):
    decision = may_review(reviewer, candidate, involved)
    assert decision.allowed == (reviewer != candidate and reviewer not in involved)
    assert decision.rule == "A2"


def test_a2_only_the_assigned_reviewer_decides_once():
    assert may_decide("pending", 7, 7).allowed
    assert "Only the reviewer" in may_decide("pending", 7, 8).reason
    assert "Only the reviewer" in may_decide("pending", None, 8).reason
    assert "decided already" in may_decide("upheld", 7, 7).reason
