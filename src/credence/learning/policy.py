"""A candidate's path through the program on one day: per certification, where they stand,
what comes next and, when something is not yet possible, the rule that says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from credence.catalog.policy import CertificationSpec, EvaluationSpec, ProgramRules
from credence.core.decisions import Allowed, Decision, Refused
from credence.credentials.policy import CompositeStatus, composite_status
from credence.exams.policy import (
    AttemptRecord,
    CertificateRecord,
    History,
    attempts_left,
    cycle_view,
    latest,
    may_book,
    recertification_opens,
)


class StepState(models.TextChoices):
    PASSED = "passed", _("Passed")
    WAIVED = "waived", _("Waived")
    BOOKED = "booked", _("Booked")
    AWAITING = "awaiting", _("Awaiting results")  # taken and handed in, not released yet
    OPEN = "open", _("Open for booking")
    WAITING = "waiting", _("Waiting")
    LOCKED = "locked", _("No attempts left")
    BLOCKED = "blocked", _("Not yet")


class CertificationState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    LOCKED = "locked", _("Locked")
    CERTIFIED = "certified", _("Certified")
    RECERTIFY = "recertify", _("Recertification open")
    EXPIRED = "expired", _("Expired")


@dataclass(frozen=True)
class EvaluationStep:
    evaluation: EvaluationSpec
    state: StepState
    decision: Decision
    attempts_used: int
    attempts_left: int
    pending: AttemptRecord | None = None  # the booked attempt, taken or not
    result: AttemptRecord | None = None  # the latest released result in this cycle


@dataclass(frozen=True)
class CertificationPath:
    certification: CertificationSpec
    state: CertificationState
    certificate: CertificateRecord | None
    steps: tuple[EvaluationStep, ...]
    next_step: EvaluationStep | None  # the first evaluation still to do in this cycle


@dataclass(frozen=True)
class Path:
    today: date
    certifications: tuple[CertificationPath, ...]
    composite: CompositeStatus
    composite_certificate: CertificateRecord | None


def _step(
    program: ProgramRules, history: History, cert: str, evaluation: EvaluationSpec, today: date
) -> EvaluationStep:
    view = cycle_view(history, cert, evaluation.code)
    decision = may_book(program, history, cert, evaluation.code, today)
    if view.passed is not None:
        state = StepState.PASSED
    elif view.waiver is not None:
        state = StepState.WAIVED
    elif view.pending is not None:
        state = StepState.AWAITING if view.pending.submitted else StepState.BOOKED
    elif isinstance(decision, Allowed):
        state = StepState.OPEN
    elif decision.rule == "R3":
        state = StepState.LOCKED
    elif decision.rule == "R2":
        state = StepState.WAITING
    else:
        state = StepState.BLOCKED
    return EvaluationStep(
        evaluation=evaluation,
        state=state,
        decision=decision,
        attempts_used=len(view.failures),
        attempts_left=attempts_left(program, history, cert, evaluation.code),
        pending=view.pending,
        result=max(
            (a for a in view.attempts if a.score is not None and a.released_on is not None),
            key=lambda a: (a.released_on, a.held_on),
            default=None,
        ),
    )


def certification_path(
    program: ProgramRules, history: History, cert: CertificationSpec, today: date
) -> CertificationPath:
    steps = tuple(
        _step(program, history, cert.code, e, today) for e in program.evaluations_in_order()
    )
    todo = [s for s in steps if s.state not in (StepState.PASSED, StepState.WAIVED)]
    started = any(
        s.attempts_used
        or s.state in (StepState.PASSED, StepState.WAIVED, StepState.BOOKED, StepState.AWAITING)
        for s in steps
    )
    certificate = latest(history.certificates, cert.code)
    if certificate is not None and certificate.valid_on(today):
        opens = recertification_opens(program, certificate)
        state = CertificationState.RECERTIFY if today >= opens else CertificationState.CERTIFIED
    elif any(s.state == StepState.LOCKED for s in steps):
        state = CertificationState.LOCKED
    elif started:
        state = CertificationState.IN_PROGRESS
    elif certificate is not None:
        state = CertificationState.EXPIRED
    else:
        state = CertificationState.NOT_STARTED
    next_step = todo[0] if todo and state != CertificationState.CERTIFIED else None
    return CertificationPath(cert, state, certificate, steps, next_step)


def path_for(program: ProgramRules, history: History, today: date) -> Path:
    return Path(
        today=today,
        certifications=tuple(
            certification_path(program, history, cert, today) for cert in program.certifications
        ),
        composite=composite_status(program, history.certificates, today),
        composite_certificate=latest(history.certificates, program.composite.code),
    )


def refusal(step: EvaluationStep) -> Refused | None:
    return step.decision if isinstance(step.decision, Refused) else None
