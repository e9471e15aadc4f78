"""The path planner, as pure rules (no ORM, ``today`` passed in), beside ``policy.py``.

Given the electives a candidate chooses, it orders what is left to take, gives each
evaluation the earliest day the rules engine (``exams.policy.may_book``: R1-R3, R10, R12)
allows, assuming every earlier evaluation is passed at its first attempt on its planned day,
and prices the plan by R7/R8 (``billing.policy.quote_attempt``).

Published sessions (R11) come with the Knowledge-test issue. Until then ``sessions`` is
``None`` and the plan stands on the rules' earliest days; once sessions exist, the selector
passes a ``SessionCalendar`` and each step moves to the first published session on or after
its rules' day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from credence.billing.policy import quote_attempt
from credence.catalog.policy import CertificationSpec, CohortSpec, EvaluationSpec, ProgramRules
from credence.core.decisions import Allowed, Decision, Refused
from credence.exams.api import AttemptStatus
from credence.exams.policy import (
    AttemptRecord,
    History,
    cycle_view,
    latest,
    may_book,
    recertification_opens,
)
from credence.recognition.policy import waived_evaluation

# (certification, evaluation, on or after) -> the day of the first published session with a
# free seat on or after it, or None when there is none; evaluations not held in sessions
# return the day they are given.
SessionCalendar = Callable[[str, str, date], date | None]

# The rules' earliest day is found by following Refused.earliest; a chain longer than this
# would mean a rule that keeps moving its own date, which is a bug, not a plan.
MAX_HOPS = 12


class PlanStepState(models.TextChoices):
    PASSED = "passed", _("Passed")
    WAIVED = "waived", _("Waived")
    BOOKED = "booked", _("Booked")
    PLANNED = "planned", _("Planned")
    NO_SESSION = "no_session", _("No session published yet")
    AFTER_PRIOR = "after_prior", _("Once the evaluation before it is scheduled")
    BLOCKED = "blocked", _("Needs a decision by the program office")


# Steps the plan assumes passed on their day when it plans what follows them.
SIMULATED_PASS = frozenset({PlanStepState.PLANNED, PlanStepState.BOOKED, PlanStepState.NO_SESSION})
# Evaluations still to book: each is one attempt's fee (R7) in the plan.
TO_BE_PAID = frozenset({PlanStepState.PLANNED, PlanStepState.NO_SESSION, PlanStepState.AFTER_PRIOR})


@dataclass(frozen=True)
class PlanStep:
    certification: CertificationSpec
    evaluation: EvaluationSpec
    state: PlanStepState
    on: date | None  # planned, booked or passed day
    decision: Decision  # the rules engine's answer for ``on`` (or for today when blocked)
    fee: Decimal  # R7 for evaluations still to book; 0 when waived, passed or booked
    subsidy: Decimal  # R8, estimated

    @property
    def to_pay(self) -> Decimal:
        return self.fee - self.subsidy


@dataclass(frozen=True)
class Plan:
    today: date
    electives: tuple[str, ...]
    missing_electives: int  # how many more the composite award (R6) needs than chosen
    held: tuple[CertificationSpec, ...]  # certifications held valid today; nothing to plan
    steps: tuple[PlanStep, ...]  # in the order they can be taken
    cohort: CohortSpec | None
    currency: str

    @property
    def fees(self) -> Decimal:
        return sum((s.fee for s in self.steps), Decimal("0.00"))

    @property
    def subsidy(self) -> Decimal:
        return sum((s.subsidy for s in self.steps), Decimal("0.00"))

    @property
    def to_pay(self) -> Decimal:
        return self.fees - self.subsidy

    @property
    def finishes_on(self) -> date | None:
        days = [s.on for s in self.steps if s.on is not None]
        return max(days) if days else None

    @property
    def waived_count(self) -> int:
        return sum(1 for s in self.steps if s.state == PlanStepState.WAIVED)


def earliest_allowed(
    program: ProgramRules,
    history: History,
    certification: str,
    evaluation: str,
    not_before: date,
) -> tuple[date | None, Decision]:
    """The first day on or after ``not_before`` that ``may_book`` allows, with its decision;
    ``None`` and the refusal when no day will without a staff decision (or a result)."""
    day = not_before
    for _hop in range(MAX_HOPS):
        decision = may_book(program, history, certification, evaluation, day)
        if isinstance(decision, Allowed):
            return day, decision
        if decision.never or decision.earliest is None or decision.earliest <= day:
            return None, decision
        day = decision.earliest
    raise RuntimeError(f"no stable earliest day for {certification}/{evaluation}")


def _passed(certification: str, evaluation: str, on: date) -> AttemptRecord:
    return AttemptRecord(
        certification=certification,
        evaluation=evaluation,
        held_on=on,
        status=AttemptStatus.PASSED,
        released_on=on,
    )


def plan_path(
    program: ProgramRules,
    history: History,
    *,
    electives: tuple[str, ...],
    today: date,
    registered_on: date,
    sessions: SessionCalendar | None = None,
) -> Plan:
    """An ordered plan for the required certifications plus ``electives``."""
    unknown = set(electives) - set(program.composite.electives)
    if unknown:
        raise ValueError(f"not electives of {program.code}: {sorted(unknown)}")
    chosen = tuple(c for c in program.composite.electives if c in electives)
    codes = (*program.composite.required, *chosen)
    simulated = history
    held: list[CertificationSpec] = []
    steps: list[PlanStep] = []
    for code in codes:
        cert = program.certification(code)
        certificate = latest(history.certificates, code)
        if (
            certificate is not None
            and certificate.valid_on(today)
            and today < recertification_opens(program, certificate)
        ):
            held.append(cert)
            continue
        not_before = today
        for evaluation in program.evaluations_in_order():
            step = _plan_step(program, simulated, cert, evaluation, not_before, sessions)
            steps.append(_priced(program, step, registered_on))
            if step.state in SIMULATED_PASS and step.on:
                # Plan what follows as if this evaluation is passed on its day.
                simulated = replace(
                    simulated,
                    attempts=(*simulated.attempts, _passed(code, evaluation.code, step.on)),
                )
            if step.on is not None:
                # The next evaluation cannot come before this one's result (R1).
                not_before = max(not_before, step.on)
    order = {code: i for i, code in enumerate(codes)}
    steps.sort(key=lambda s: (s.on or date.max, s.evaluation.order, order[s.certification.code]))
    return Plan(
        today=today,
        electives=chosen,
        missing_electives=max(0, program.composite.min_electives - len(chosen)),
        held=tuple(held),
        steps=tuple(steps),
        cohort=program.cohort_for(registered_on),
        currency=program.currency,
    )


def _plan_step(
    program: ProgramRules,
    history: History,
    cert: CertificationSpec,
    evaluation: EvaluationSpec,
    not_before: date,
    sessions: SessionCalendar | None,
) -> PlanStep:
    zero = Decimal("0.00")
    view = cycle_view(history, cert.code, evaluation.code)

    def step(state: PlanStepState, on: date | None, decision: Decision) -> PlanStep:
        return PlanStep(cert, evaluation, state, on, decision, zero, zero)

    if view.passed is not None:
        return step(PlanStepState.PASSED, view.passed.result_day, Allowed())
    if view.waiver is not None:
        return step(PlanStepState.WAIVED, view.waiver.granted_on, waived_evaluation())
    if view.pending is not None:
        return step(PlanStepState.BOOKED, view.pending.held_on, Allowed())
    day, decision = earliest_allowed(program, history, cert.code, evaluation.code, not_before)
    if day is None:
        never = isinstance(decision, Refused) and decision.never
        return step(PlanStepState.BLOCKED if never else PlanStepState.AFTER_PRIOR, None, decision)
    if sessions is not None:
        session_day = sessions(cert.code, evaluation.code, day)
        if session_day is None:
            # Keep the rules' day: the plan goes on from it, and the page says that no
            # session is published for it yet.
            return step(PlanStepState.NO_SESSION, day, decision)
        day = session_day
        decision = may_book(program, history, cert.code, evaluation.code, day)
    return step(PlanStepState.PLANNED, day, decision)


def _priced(program: ProgramRules, step: PlanStep, registered_on: date) -> PlanStep:
    if step.state not in TO_BE_PAID:
        return step
    # The planner cannot know the fund's balance on a future day: it shows the subsidy the
    # candidate's cohort is meant to get (R8), and the page says it depends on the fund.
    quote = quote_attempt(
        program, registered_on=registered_on, waived=False, fund_available=Decimal("Infinity")
    )
    if quote is None:
        return step
    return replace(step, fee=quote.fee, subsidy=quote.subsidy)
