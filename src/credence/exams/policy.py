"""Rules R1 (order), R2 (wait), R3 (attempts) and R4 (pass) over plain data.

``may_book`` answers "may this candidate take evaluation E of certification C in a session on
day D?" with an ``Allowed`` or a ``Refused`` that names the rule, says why in a sentence and
gives the earliest day it becomes possible, or that it never will without a staff decision.
Attempts, waits, waivers and exceptions count per cycle (R12): only those dated after the
certification's last award. The certificates that end a cycle are plain records here (the
credentials app awards them and provides them through ``ports``, decision 0055).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from credence.catalog.policy import ProgramRules
from credence.core.dates import add_months
from credence.core.decisions import Allowed, Decision, Refused
from credence.exams.statuses import COUNTED_FAILURES, AttemptStatus


@dataclass(frozen=True)
class CertificateRecord:
    award: str  # a certification code, or the composite's code (e.g. "ai-engineer")
    issued_on: date
    valid_until: date  # inclusive (docs/decisions/0003)
    revoked_on: date | None = None

    def valid_on(self, day: date) -> bool:
        if self.revoked_on is not None and day >= self.revoked_on:
            return False
        return self.issued_on <= day <= self.valid_until


def recertification_opens(program: ProgramRules, certificate: CertificateRecord) -> date:
    """R12: the first day a holder may take the evaluations again."""
    return add_months(certificate.valid_until, -program.recertification_window_months)


def latest(certificates: Iterable[CertificateRecord], award: str) -> CertificateRecord | None:
    mine = [c for c in certificates if c.award == award]
    return max(mine, key=lambda c: c.issued_on, default=None)


def cycle_start(certificates: Iterable[CertificateRecord], award: str) -> date | None:
    """R12: a cycle ends when the certificate is awarded. Attempts, waits, waivers and
    exceptions dated after this day belong to the current cycle; None means the first one."""
    last = latest(certificates, award)
    return last.issued_on if last else None


@dataclass(frozen=True)
class AttemptRecord:
    certification: str
    evaluation: str
    held_on: date  # the day the attempt takes (or took) place
    status: AttemptStatus
    score: Decimal | None = None
    released_on: date | None = None  # the day the result was released
    # The live test behind a knowledge-test attempt, for the candidate's pages (the rules
    # ignore both): its id (the score report's address) and whether it has been handed in.
    sitting_id: int | None = None
    submitted: bool = False

    @property
    def result_day(self) -> date:
        """When the result became known; a no-show is known on the day itself."""
        return self.released_on or self.held_on


@dataclass(frozen=True)
class WaiverRecord:
    """An approved waiver (R10) of one evaluation of one certification."""

    certification: str
    evaluation: str
    granted_on: date


@dataclass(frozen=True)
class ExceptionRecord:
    """A staff exception (R3) granting attempts beyond the limit."""

    certification: str
    evaluation: str
    granted_on: date
    extra_attempts: int = 1


@dataclass(frozen=True)
class History:
    attempts: tuple[AttemptRecord, ...] = ()
    waivers: tuple[WaiverRecord, ...] = ()
    exceptions: tuple[ExceptionRecord, ...] = ()
    certificates: tuple[CertificateRecord, ...] = ()


@dataclass(frozen=True)
class CycleView:
    """One certification's evaluation E in the current cycle."""

    attempts: tuple[AttemptRecord, ...]
    waiver: WaiverRecord | None
    extra_attempts: int

    @property
    def passed(self) -> AttemptRecord | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.PASSED), None)

    @property
    def pending(self) -> AttemptRecord | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.BOOKED), None)

    @property
    def failures(self) -> tuple[AttemptRecord, ...]:
        return tuple(a for a in self.attempts if a.status in COUNTED_FAILURES)

    def completed_on(self) -> date | None:
        """The day this evaluation counted as done in the cycle: passed or waived."""
        if self.passed is not None:
            return self.passed.result_day
        if self.waiver is not None:
            return self.waiver.granted_on
        return None


def cycle_view(history: History, certification: str, evaluation: str) -> CycleView:
    start = cycle_start(history.certificates, certification)

    def current(day: date) -> bool:
        return start is None or day > start

    attempts = tuple(
        sorted(
            (
                a
                for a in history.attempts
                if a.certification == certification
                and a.evaluation == evaluation
                and a.status != AttemptStatus.CANCELLED
                and current(a.held_on)
            ),
            key=lambda a: a.held_on,
        )
    )
    waiver = next(
        (
            w
            for w in history.waivers
            if w.certification == certification
            and w.evaluation == evaluation
            and current(w.granted_on)
        ),
        None,
    )
    extra = sum(
        x.extra_attempts
        for x in history.exceptions
        if x.certification == certification and x.evaluation == evaluation and current(x.granted_on)
    )
    return CycleView(attempts=attempts, waiver=waiver, extra_attempts=extra)


def completions(program: ProgramRules, history: History, certification: str) -> dict[str, date]:
    """Evaluation code -> the day it was passed or waived in the current cycle (feeds R5)."""
    done: dict[str, date] = {}
    for evaluation in program.evaluations:
        day = cycle_view(history, certification, evaluation.code).completed_on()
        if day is not None:
            done[evaluation.code] = day
    return done


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def may_book(
    program: ProgramRules,
    history: History,
    certification: str,
    evaluation: str,
    on: date,
) -> Decision:
    """May the candidate take ``evaluation`` of ``certification`` in a session on ``on``?

    The rules are asked in ``_BOOKING_RULES``'s order; the first refusal is the answer."""
    cert = program.certification(certification)
    ev = program.evaluation(evaluation)
    booking = _Booking(
        program=program,
        history=history,
        certification=certification,
        evaluation=evaluation,
        on=on,
        names={"evaluation": ev.name, "certification": cert.name},
    )
    for rule in _BOOKING_RULES:
        refused = rule(booking)
        if refused is not None:
            return refused
    return Allowed()


@dataclass(frozen=True)
class _Booking:
    """The question ``may_book`` answers, as each of its rules reads it."""

    program: ProgramRules
    history: History
    certification: str
    evaluation: str
    on: date
    names: dict[str, str]  # the evaluation's and the certification's names, for the reasons

    @functools.cached_property
    def view(self) -> CycleView:
        """The evaluation in the current cycle; computed once, when a rule first asks."""
        return cycle_view(self.history, self.certification, self.evaluation)


def _r12_certificate_held(booking: _Booking) -> Refused | None:
    """R12: a holder of a valid certificate takes its evaluations again only once the
    recertification window opens."""
    held = latest(booking.history.certificates, booking.certification)
    if held is None or not held.valid_on(booking.on):
        return None
    opens = recertification_opens(booking.program, held)
    if booking.on >= opens:
        return None
    return Refused(
        rule="R12",
        reason=_(
            "You hold the %(certification)s certificate until %(until)s. "
            "Recertification opens on %(opens)s."
        )
        % {**booking.names, "until": _day(held.valid_until), "opens": _day(opens)},
        earliest=opens,
    )


def _r10_waived(booking: _Booking) -> Refused | None:
    """R10: a waived evaluation is not taken."""
    waiver = booking.view.waiver
    if waiver is None:
        return None
    return Refused(
        rule="R10",
        reason=_(
            "The %(evaluation)s of %(certification)s is waived by an approved claim "
            "(%(day)s); there is nothing to book."
        )
        % {**booking.names, "day": _day(waiver.granted_on)},
        never=True,
    )


def _r4_passed(booking: _Booking) -> Refused | None:
    """R4: a passed evaluation is not taken again in the cycle."""
    passed = booking.view.passed
    if passed is None:
        return None
    return Refused(
        rule="R4",
        reason=_(
            "You passed the %(evaluation)s of %(certification)s on %(day)s; "
            "a passed evaluation is not taken again."
        )
        % {**booking.names, "day": _day(passed.result_day)},
        never=True,
    )


def _r2_booked(booking: _Booking) -> Refused | None:
    """R2: one attempt at a time; the next is booked after the result of the one booked."""
    pending = booking.view.pending
    if pending is None:
        return None
    return Refused(
        rule="R2",
        reason=_(
            "You are booked for the %(evaluation)s of %(certification)s on %(day)s. "
            "Another attempt can be booked only after its result."
        )
        % {**booking.names, "day": _day(pending.held_on)},
    )


def _r1_earlier_evaluations(booking: _Booking) -> Refused | None:
    """R1: the evaluations come in order; the first earlier one not passed or waived in the
    cycle refuses, for good when it cannot be booked itself (R3, no attempts left)."""
    program, history, certification = booking.program, booking.history, booking.certification
    for prior in program.earlier_evaluations(booking.evaluation):
        if cycle_view(history, certification, prior.code).completed_on() is not None:
            continue
        prior_decision = may_book(program, history, certification, prior.code, booking.on)
        locked = isinstance(prior_decision, Refused) and prior_decision.rule == "R3"
        reason = _(
            "The %(evaluation)s of %(certification)s can be booked only after you pass the "
            "%(prior)s (or hold an approved waiver of it)."
        ) % {**booking.names, "prior": prior.name}
        if locked:
            reason += " " + _(
                "You have no attempts left at the %(prior)s; only the program office can "
                "grant another."
            ) % {"prior": prior.name}
        return Refused(rule="R1", reason=reason, never=locked)
    return None


def _r3_attempts_used(booking: _Booking) -> Refused | None:
    """R3: at most the program's attempts per cycle, plus those the office granted."""
    allowed_attempts = booking.program.max_attempts + booking.view.extra_attempts
    if len(booking.view.failures) < allowed_attempts:
        return None
    return Refused(
        rule="R3",
        reason=_(
            "You have used all %(count)d attempts at the %(evaluation)s of "
            "%(certification)s. Only the program office can grant another attempt."
        )
        % {**booking.names, "count": allowed_attempts},
        never=True,
    )


def _r2_waiting_after_failure(booking: _Booking) -> Refused | None:
    """R2: after a failed attempt, the next one waits the program's months."""
    failures = booking.view.failures
    if not failures:
        return None
    last = max(a.result_day for a in failures)
    earliest = add_months(last, booking.program.wait_after_failure_months)
    if booking.on >= earliest:
        return None
    return Refused(
        rule="R2",
        reason=_(
            "Your last attempt at the %(evaluation)s of %(certification)s did not "
            "pass (result of %(last)s). The next attempt can take place on "
            "%(earliest)s at the earliest."
        )
        % {**booking.names, "last": _day(last), "earliest": _day(earliest)},
        earliest=earliest,
    )


# The order is part of the answer: a candidate is told the first rule that refuses.
_BOOKING_RULES: tuple[Callable[[_Booking], Refused | None], ...] = (
    _r12_certificate_held,
    _r10_waived,
    _r4_passed,
    _r2_booked,
    _r1_earlier_evaluations,
    _r3_attempts_used,
    _r2_waiting_after_failure,
)


def outcome_for_score(
    program: ProgramRules, certification: str, evaluation: str, score: Decimal
) -> AttemptStatus:
    """R4: passed when the score (percent) reaches the pass mark."""
    if not Decimal(0) <= score <= Decimal(100):
        raise ValueError(f"a score is a percentage from 0 to 100, not {score}")
    mark = program.pass_mark(certification, evaluation)
    return AttemptStatus.PASSED if score >= mark else AttemptStatus.FAILED


def attempts_left(
    program: ProgramRules, history: History, certification: str, evaluation: str
) -> int:
    view = cycle_view(history, certification, evaluation)
    return max(0, program.max_attempts + view.extra_attempts - len(view.failures))
