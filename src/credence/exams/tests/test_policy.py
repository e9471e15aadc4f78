"""R1-R4 and the R12 cycle as seen from booking: examples for every edge, then properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credence.core.decisions import Allowed, Refused
from credence.exams.policy import (
    AttemptRecord,
    CertificateRecord,
    ExceptionRecord,
    History,
    WaiverRecord,
    attempts_left,
    may_book,
    outcome_for_score,
)
from credence.exams.statuses import AttemptStatus as S

from tests.support import PORTFOLIO, TEST, ai_engineer_rules

P = ai_engineer_rules()
C = "mlops"


def attempt(evaluation, held_on, status, released_on=None, score=None, cert=C):
    return AttemptRecord(cert, evaluation, held_on, status, score, released_on or held_on)


def book(history, evaluation, on, cert=C):
    return may_book(P, history, cert, evaluation, on)


def test_fresh_candidate_may_book_the_knowledge_test():
    assert isinstance(book(History(), TEST, date(2026, 3, 1)), Allowed)


def test_r1_portfolio_refused_before_the_test_is_passed():
    decision = book(History(), PORTFOLIO, date(2026, 3, 1))
    assert isinstance(decision, Refused)
    assert decision.rule == "R1"
    assert "knowledge test" in decision.reason
    assert decision.earliest is None and not decision.never


def test_r1_portfolio_allowed_after_the_test_is_passed():
    history = History(attempts=(attempt(TEST, date(2026, 3, 1), S.PASSED, score=Decimal(80)),))
    assert isinstance(book(history, PORTFOLIO, date(2026, 3, 10)), Allowed)


def test_r1_waiver_instead_of_a_knowledge_test():
    history = History(waivers=(WaiverRecord(C, TEST, date(2026, 2, 1)),))
    assert isinstance(book(history, PORTFOLIO, date(2026, 3, 1)), Allowed)
    waived = book(history, TEST, date(2026, 3, 1))
    assert isinstance(waived, Refused) and waived.rule == "R10" and waived.never


def test_r1_portfolio_never_possible_once_the_test_is_locked():
    history = History(attempts=tuple(attempt(TEST, date(2026, m, 1), S.FAILED) for m in (1, 3, 5)))
    decision = book(history, PORTFOLIO, date(2026, 9, 1))
    assert isinstance(decision, Refused) and decision.rule == "R1" and decision.never


def test_r2_month_end_clamping_31_january_to_28_february():
    history = History(attempts=(attempt(TEST, date(2027, 1, 31), S.FAILED),))
    refused = book(history, TEST, date(2027, 2, 27))
    assert isinstance(refused, Refused) and refused.rule == "R2"
    assert refused.earliest == date(2027, 2, 28)
    assert isinstance(book(history, TEST, date(2027, 2, 28)), Allowed)


def test_r2_month_end_clamping_in_a_leap_year():
    history = History(attempts=(attempt(TEST, date(2028, 1, 31), S.FAILED),))
    assert book(history, TEST, date(2028, 2, 28)).earliest == date(2028, 2, 29)


def test_r2_wait_counts_from_the_release_not_the_sitting():
    history = History(
        attempts=(attempt(TEST, date(2026, 3, 2), S.FAILED, released_on=date(2026, 3, 20)),)
    )
    decision = book(history, TEST, date(2026, 4, 2))
    assert isinstance(decision, Refused) and decision.earliest == date(2026, 4, 20)
    assert "20" in decision.reason


def test_r2_a_pending_booking_blocks_another():
    history = History(attempts=(attempt(TEST, date(2026, 5, 2), S.BOOKED, released_on=None),))
    decision = book(history, TEST, date(2026, 6, 2))
    assert isinstance(decision, Refused) and decision.rule == "R2"


def test_r3_third_failure_locks_the_evaluation():
    history = History(attempts=tuple(attempt(TEST, date(2026, m, 1), S.FAILED) for m in (1, 3, 5)))
    decision = book(history, TEST, date(2027, 1, 1))
    assert isinstance(decision, Refused) and decision.rule == "R3" and decision.never
    assert "3" in decision.reason
    assert attempts_left(P, history, C, TEST) == 0


def test_r3_no_show_counts_as_a_failure():
    history = History(
        attempts=(
            attempt(TEST, date(2026, 1, 1), S.FAILED),
            attempt(TEST, date(2026, 3, 1), S.NO_SHOW),
            attempt(TEST, date(2026, 5, 1), S.FAILED),
        )
    )
    assert book(history, TEST, date(2027, 1, 1)).rule == "R3"
    # and it starts the wait like any failure
    one = History(attempts=(attempt(TEST, date(2026, 3, 1), S.NO_SHOW),))
    assert book(one, TEST, date(2026, 3, 15)).earliest == date(2026, 4, 1)


def test_r3_excused_no_show_neither_counts_nor_waits():
    history = History(
        attempts=(
            attempt(TEST, date(2026, 1, 1), S.FAILED),
            attempt(TEST, date(2026, 3, 1), S.FAILED),
            attempt(TEST, date(2026, 5, 1), S.EXCUSED),
        )
    )
    assert isinstance(book(history, TEST, date(2026, 5, 2)), Allowed)
    assert attempts_left(P, history, C, TEST) == 1


def test_r3_staff_exception_allows_a_fourth_attempt_but_keeps_the_wait():
    failures = tuple(attempt(TEST, date(2026, m, 1), S.FAILED) for m in (1, 3, 5))
    history = History(attempts=failures, exceptions=(ExceptionRecord(C, TEST, date(2026, 5, 10)),))
    assert book(history, TEST, date(2026, 5, 20)).rule == "R2"
    assert isinstance(book(history, TEST, date(2026, 6, 1)), Allowed)
    fourth_failed = History(
        attempts=(*failures, attempt(TEST, date(2026, 6, 1), S.FAILED)),
        exceptions=history.exceptions,
    )
    assert book(fourth_failed, TEST, date(2027, 1, 1)).rule == "R3"


def test_r4_passed_evaluation_is_not_bookable_again():
    history = History(attempts=(attempt(TEST, date(2026, 1, 1), S.PASSED, score=Decimal(71)),))
    decision = book(history, TEST, date(2026, 6, 1))
    assert isinstance(decision, Refused) and decision.rule == "R4" and decision.never


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (Decimal("70"), S.PASSED),
        (Decimal("69.99"), S.FAILED),
        (Decimal(100), S.PASSED),
        (Decimal(0), S.FAILED),
    ],
)
def test_r4_pass_mark_is_reached_not_exceeded(score, status):
    assert outcome_for_score(P, C, TEST, score) == status


def test_r4_score_outside_0_to_100_is_an_error():
    with pytest.raises(ValueError, match="0 to 100"):
        outcome_for_score(P, C, TEST, Decimal("100.01"))


def _certified(issued, valid_until):
    return History(
        attempts=(
            attempt(TEST, issued - timedelta(days=40), S.PASSED, score=Decimal(90)),
            attempt(PORTFOLIO, issued - timedelta(days=3), S.PASSED, issued, Decimal(90)),
        ),
        certificates=(CertificateRecord(C, issued, valid_until),),
    )


def test_r12_holder_cannot_book_before_the_window():
    history = _certified(date(2026, 6, 15), date(2031, 6, 15))
    decision = book(history, TEST, date(2030, 12, 14))
    assert isinstance(decision, Refused) and decision.rule == "R12"
    assert decision.earliest == date(2030, 12, 15)


def test_r12_inside_the_window_attempts_count_afresh():
    base = _certified(date(2026, 6, 15), date(2031, 6, 15))
    old_failures = tuple(attempt(TEST, date(2026, m, 1), S.FAILED) for m in (1, 3))
    history = History(attempts=(*old_failures, *base.attempts), certificates=base.certificates)
    assert isinstance(book(history, TEST, date(2030, 12, 15)), Allowed)
    assert attempts_left(P, history, C, TEST) == 3
    # the portfolio again needs the new cycle's knowledge test (R1)
    assert book(history, PORTFOLIO, date(2030, 12, 15)).rule == "R1"


def test_r12_after_expiry_a_new_cycle_may_start_any_time():
    history = _certified(date(2020, 6, 15), date(2025, 6, 15))
    assert isinstance(book(history, TEST, date(2026, 1, 10)), Allowed)


# --- properties ---------------------------------------------------------------------------

statuses = st.sampled_from(list(S))
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
attempt_strategy = st.builds(
    lambda evaluation, held, status, lag: AttemptRecord(
        C,
        evaluation,
        held,
        status,
        None,
        None if status == S.BOOKED else held + timedelta(days=lag),
    ),
    st.sampled_from([TEST, PORTFOLIO]),
    days,
    statuses,
    st.integers(min_value=0, max_value=30),
)
histories = st.builds(
    lambda attempts, waivers: History(attempts=tuple(attempts), waivers=tuple(waivers)),
    st.lists(attempt_strategy, max_size=8),
    st.lists(
        st.builds(WaiverRecord, st.just(C), st.sampled_from([TEST, PORTFOLIO]), days), max_size=1
    ),
)


@settings(max_examples=300)
@given(histories, st.sampled_from([TEST, PORTFOLIO]), days)
def test_no_history_allows_a_fourth_attempt_without_an_exception(history, evaluation, on):
    failures = [
        a
        for a in history.attempts
        if a.evaluation == evaluation and a.status in (S.FAILED, S.NO_SHOW)
    ]
    decision = book(history, evaluation, on)
    if len(failures) >= 3:
        assert isinstance(decision, Refused)


@settings(max_examples=300)
@given(histories, st.sampled_from([TEST, PORTFOLIO]), days)
def test_a_passed_evaluation_is_never_bookable_again(history, evaluation, on):
    if any(a.evaluation == evaluation and a.status == S.PASSED for a in history.attempts):
        assert isinstance(book(history, evaluation, on), Refused)


@settings(max_examples=300)
@given(histories, st.sampled_from([TEST, PORTFOLIO]), days)
def test_a_refusal_always_explains_itself(history, evaluation, on):
    decision = book(history, evaluation, on)
    if isinstance(decision, Refused):
        assert decision.rule in {"R1", "R2", "R3", "R4", "R10", "R12"}
        assert len(decision.reason) > 20
        assert not (decision.never and decision.earliest)
        if decision.earliest is not None:
            assert decision.earliest > on
            # the date it names is one on which this very rule no longer refuses
            later = book(history, evaluation, decision.earliest)
            assert isinstance(later, Allowed) or later.rule != decision.rule


@settings(max_examples=200)
@given(histories, days)
def test_portfolio_is_only_allowed_after_the_test_is_passed_or_waived(history, on):
    done = any(a.evaluation == TEST and a.status == S.PASSED for a in history.attempts) or any(
        w.evaluation == TEST for w in history.waivers
    )
    if isinstance(book(history, PORTFOLIO, on), Allowed):
        assert done
