"""The path planner: its dates are the rules engine's (may_book), its fees R7/R8's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credence.catalog.policy import CohortSpec
from credence.core.decisions import Allowed
from credence.exams.policy import AttemptRecord, History, WaiverRecord, may_book
from credence.exams.statuses import AttemptStatus
from credence.learning.planner import PlanStepState, earliest_allowed, plan_path

from tests.support import ELECTIVES, PORTFOLIO, REQUIRED, TEST, ai_engineer_rules

TODAY = date(2026, 11, 25)
COHORT = CohortSpec(
    "2026-second", "Second cohort", date(2026, 7, 1), date(2026, 12, 31), Decimal("0.25")
)
RULES = ai_engineer_rules(cohorts=(COHORT,))


NO_HISTORY = History()


def plan(history=NO_HISTORY, electives=("computer-vision", "nlp", "generative-ai"), **kw):
    values = {"electives": electives, "today": TODAY, "registered_on": date(2026, 8, 1)}
    values.update(kw)
    return plan_path(RULES, history, **values)


def failed(cert, evaluation, day):
    return AttemptRecord(cert, evaluation, day, AttemptStatus.FAILED, Decimal(50), day)


def test_a_fresh_candidate_can_take_every_test_today_and_each_interview_after_it():
    p = plan()

    assert len(p.steps) == 2 * (3 + 3)
    tests = [s for s in p.steps if s.evaluation.code == TEST]
    assert all(s.on == TODAY and s.state == PlanStepState.PLANNED for s in tests)
    interviews = [s for s in p.steps if s.evaluation.code == PORTFOLIO]
    assert all(s.on == TODAY for s in interviews)
    assert [s.evaluation.code for s in p.steps[:6]] == [TEST] * 6  # ordered: tests first
    assert p.missing_electives == 0


def test_fees_after_the_cohorts_subsidy_and_nothing_for_a_waiver():
    waiver = WaiverRecord("ml-expert", TEST, TODAY - timedelta(days=3))

    p = plan(History(waivers=(waiver,)))

    waived = [s for s in p.steps if s.state == PlanStepState.WAIVED]
    assert len(waived) == 1 and waived[0].fee == 0
    assert waived[0].decision == Allowed(rule="R10")  # recognition's word on a waiver
    assert p.fees == Decimal("200.00") * 11
    assert p.subsidy == Decimal("50.00") * 11
    assert p.to_pay == Decimal("1650.00")
    assert p.cohort == COHORT


def test_no_subsidy_outside_the_cohorts():
    p = plan(registered_on=date(2027, 2, 1))
    assert p.cohort is None and p.subsidy == 0 and p.to_pay == p.fees


def test_a_failed_test_moves_the_retake_a_month_and_the_interview_with_it():
    history = History(attempts=(failed("mlops", TEST, date(2026, 11, 20)),))

    p = plan(history)

    steps = {(s.certification.code, s.evaluation.code): s for s in p.steps}
    assert steps[("mlops", TEST)].on == date(2026, 12, 20)
    assert steps[("mlops", PORTFOLIO)].on == date(2026, 12, 20)
    assert p.steps[-1].certification.code == "mlops"  # it comes last


def test_three_failures_block_the_test_and_the_interview():
    history = History(
        attempts=tuple(failed("nlp", TEST, date(2026, m, 1)) for m in (3, 5, 7)),
    )

    p = plan(history)

    steps = {(s.certification.code, s.evaluation.code): s for s in p.steps}
    assert steps[("nlp", TEST)].state == PlanStepState.BLOCKED
    assert steps[("nlp", TEST)].decision.rule == "R3"
    assert steps[("nlp", PORTFOLIO)].state == PlanStepState.BLOCKED
    assert steps[("nlp", PORTFOLIO)].decision.rule == "R1"
    assert steps[("nlp", TEST)].fee == 0


def test_sessions_move_each_step_to_the_first_published_day():
    def sessions(cert, evaluation, not_before):
        return date(2027, 1, 15) if evaluation == TEST else date(2027, 2, 10)

    p = plan(sessions=sessions)

    assert {s.on for s in p.steps if s.evaluation.code == TEST} == {date(2027, 1, 15)}
    assert {s.on for s in p.steps if s.evaluation.code == PORTFOLIO} == {date(2027, 2, 10)}


def test_without_a_session_the_step_keeps_the_rules_day_and_says_so():
    def sessions(cert, evaluation, day):
        return None if evaluation == TEST else day

    p = plan(sessions=sessions)

    tests = [s for s in p.steps if s.evaluation.code == TEST]
    assert {s.state for s in tests} == {PlanStepState.NO_SESSION}
    assert {s.on for s in tests} == {TODAY}
    interviews = [s for s in p.steps if s.evaluation.code == PORTFOLIO]
    assert {s.state for s in interviews} == {PlanStepState.PLANNED}
    assert p.fees == Decimal("200.00") * 12


def test_only_electives_of_the_program_can_be_planned():
    with pytest.raises(ValueError, match="not electives"):
        plan(electives=("ml-expert",))
    assert plan(electives=("nlp",)).missing_electives == 2


histories = st.lists(
    st.tuples(
        st.sampled_from(REQUIRED + ELECTIVES),
        st.sampled_from((TEST, PORTFOLIO)),
        st.integers(min_value=0, max_value=200),
        st.sampled_from((AttemptStatus.FAILED, AttemptStatus.NO_SHOW, AttemptStatus.PASSED)),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(histories, st.sets(st.sampled_from(ELECTIVES)))
def test_every_planned_day_is_the_first_the_rules_engine_allows(records, electives):
    attempts = []
    for cert, evaluation, days_ago, status in records:
        day = TODAY - timedelta(days=days_ago)
        attempts.append(AttemptRecord(cert, evaluation, day, status, None, day))
    history = History(attempts=tuple(attempts))

    p = plan(history, electives=tuple(electives))

    simulated = history
    for step in sorted(p.steps, key=lambda s: (s.certification.code, s.evaluation.order)):
        code, evaluation = step.certification.code, step.evaluation.code
        if step.state == PlanStepState.PLANNED:
            decision = may_book(RULES, simulated, code, evaluation, step.on)
            assert decision.allowed, (code, evaluation, decision)
            not_before = TODAY
            if evaluation == PORTFOLIO:
                prior = next(
                    s for s in p.steps if s.certification.code == code and s.evaluation.code == TEST
                )
                not_before = max(TODAY, prior.on)
            if step.on > not_before:
                earlier = may_book(RULES, simulated, code, evaluation, step.on - timedelta(days=1))
                assert not earlier.allowed
            simulated = replace(
                simulated,
                attempts=(
                    *simulated.attempts,
                    AttemptRecord(code, evaluation, step.on, AttemptStatus.PASSED, None, step.on),
                ),
            )
        elif step.state == PlanStepState.BLOCKED:
            assert not step.decision.allowed and step.decision.never


def test_earliest_allowed_follows_the_refusals_date():
    history = History(attempts=(failed("mlops", TEST, date(2026, 1, 31)),))

    day, decision = earliest_allowed(RULES, history, "mlops", TEST, date(2026, 2, 1))

    assert day == date(2026, 2, 28) and decision.allowed  # R2: clamped to the month's end
