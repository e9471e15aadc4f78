"""Writes of the exams app. One service per state change of an attempt; each owns its
transaction, checks the rules, and writes the audit event in the same transaction. What the
change means to the apps above (an invoice, a refund, a certificate) they do on the events
sent here, in the same transaction (``events``, decision 0055)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.catalog.models import Certification, Program
from credence.core.decisions import Refused, RuleRefused
from credence.exams import events
from credence.exams.models import Attempt, AttemptException, Waiver
from credence.exams.policy import may_book, outcome_for_score
from credence.exams.selectors import history_for
from credence.exams.statuses import AttemptStatus
from credence.exams.tasks import send_result_released, send_result_rescored


class BookingRefused(RuleRefused):
    """A booking the rules refuse; carries the decision so the caller can explain it."""


class InvalidTransition(Exception):
    pass


def _certification_row(code: str, program: Program | None = None) -> Certification:
    row = catalog_api.certification_model(code, program=program)
    assert row is not None  # attempts, exceptions and waivers are of a certification
    return row


def _snapshot(attempt: Attempt) -> dict[str, Any]:
    return {
        "status": attempt.status,
        "score": str(attempt.score) if attempt.score is not None else None,
        "held_on": attempt.held_on.isoformat(),
        "released_on": attempt.released_on.isoformat() if attempt.released_on else None,
    }


@transaction.atomic
def attempt_book(
    *,
    candidate: User,
    certification: str,
    evaluation: str,
    held_on: date,
    acting_user: User,
    program: Program | None = None,
) -> Attempt:
    """Book an attempt if R1-R3 and R12 allow it on ``held_on``; else raise BookingRefused.
    ``program``: the program's row if the caller read it in this transaction."""
    return attempt_book_in_transaction(
        candidate=candidate,
        certification=certification,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=acting_user,
        program=program,
    )


def attempt_book_in_transaction(
    *,
    candidate: User,
    certification: str,
    evaluation: str,
    held_on: date,
    acting_user: User,
    program: Program | None = None,
) -> Attempt:
    """``attempt_book`` as a step of a caller's own transaction (a session booking), which
    rolls back as a whole on a refusal; without a savepoint of its own (issue 14)."""
    accounts_api.user_lock(candidate.pk)
    # the program row is read once and passed on (the rows for the attempt's keys, the
    # invoice); its rules are kept per process by the row's rules version, which every change
    # to the program rewrites in its own transaction (issue 14)
    program = program or catalog_api.program_model()
    rules = catalog_api.rules_cached(program)
    decision = may_book(rules, history_for(candidate), certification, evaluation, held_on)
    if isinstance(decision, Refused):
        raise BookingRefused(decision)
    attempt = Attempt.objects.create(
        candidate=candidate,
        certification=_certification_row(certification, program),
        evaluation=catalog_api.evaluation_model(evaluation, program=program),
        held_on=held_on,
    )
    record(
        action="attempt.booked",
        subject=attempt,
        actor=acting_user,
        subject_user=candidate,
        after=_snapshot(attempt),
    )
    # R7, R8: billing invoices it
    events.attempt_booked.send(Attempt, attempt=attempt, rules=rules, acting_user=acting_user)
    return attempt


def _locked_attempt(attempt: Attempt, expected: set[str]) -> Attempt:
    accounts_api.user_lock(attempt.candidate_id)
    fresh = Attempt.objects.select_related("candidate", "certification", "evaluation").get(
        pk=attempt.pk
    )
    if fresh.status not in expected:
        raise InvalidTransition(
            f"attempt {fresh.pk} is {fresh.status}, expected one of {sorted(expected)}"
        )
    return fresh


@transaction.atomic
def attempt_record_result(
    *, attempt: Attempt, score: Decimal, released_on: date, acting_user: User | None
) -> Attempt:
    """Release a result: passed or failed by R4, then tell the apps that act on it: the
    refund it qualifies for (R9), then the certificates it completes (R5, R6)."""
    attempt = _locked_attempt(attempt, {AttemptStatus.BOOKED})
    if released_on < attempt.held_on:
        raise InvalidTransition("a result cannot be released before the attempt took place")
    before = _snapshot(attempt)
    attempt.score = score
    attempt.status = outcome_for_score(
        catalog_api.program_rules(), attempt.certification.code, attempt.evaluation.code, score
    )
    attempt.released_on = released_on
    attempt.save(update_fields=["score", "status", "released_on"])
    record(
        action="attempt.result_released",
        subject=attempt,
        actor=acting_user,
        subject_user=attempt.candidate,
        reason="R4",
        before=before,
        after=_snapshot(attempt),
    )
    # mailed by the task worker; the task is a row of this transaction
    send_result_released.enqueue(attempt_id=attempt.pk)
    # the refund (R9) before the certificates (R5, R6), in this transaction
    events.result_released.send(Attempt, attempt=attempt, acting_user=acting_user)
    events.completions_changed.send(
        Attempt, candidate=attempt.candidate, today=released_on, acting_user=acting_user
    )
    return attempt


@transaction.atomic
def attempt_rescore(
    *, attempt: Attempt, score: Decimal, today: date, reason: str, acting_user: User
) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """A released result's new score after a challenge decision (C2): passed or failed again
    by R4, on its first release day. What that changes follows as after a release: the
    certificates it now earns are awarded (R5, R6); a certificate that rested on a pass that
    is now a fail is withdrawn (revoked, R12). Returns the result before and after and the
    serials awarded and withdrawn (the credentials app's receivers return them); the caller
    records them in its one audit event and the candidate is mailed."""
    attempt = _locked_attempt(attempt, {AttemptStatus.PASSED, AttemptStatus.FAILED})
    before = _snapshot(attempt)
    attempt.score = score
    attempt.status = outcome_for_score(
        catalog_api.program_rules(), attempt.certification.code, attempt.evaluation.code, score
    )
    attempt.save(update_fields=["score", "status"])
    withdrawn: list[str] = []
    if before["status"] == AttemptStatus.PASSED and attempt.status == AttemptStatus.FAILED:
        assert attempt.released_on is not None  # a passed result was released
        withdrawn = events.serials_from(
            events.pass_withdrawn.send(
                Attempt,
                attempt=attempt,
                since=attempt.released_on,
                today=today,
                reason=reason,
                acting_user=acting_user,
            )
        )
    awarded = events.serials_from(
        events.completions_changed.send(
            Attempt, candidate=attempt.candidate, today=today, acting_user=acting_user
        )
    )
    send_result_rescored.enqueue(attempt_id=attempt.pk, before=before["score"], withdrawn=withdrawn)
    return before, _snapshot(attempt), awarded, withdrawn


@transaction.atomic
def attempt_record_no_show(*, attempt: Attempt, acting_user: User) -> Attempt:
    """R3: a no-show counts as a failed attempt unless staff excuse it."""
    attempt = _locked_attempt(attempt, {AttemptStatus.BOOKED})
    before = _snapshot(attempt)
    attempt.status = AttemptStatus.NO_SHOW
    attempt.released_on = attempt.held_on
    attempt.save(update_fields=["status", "released_on"])
    record(
        action="attempt.no_show",
        subject=attempt,
        actor=acting_user,
        subject_user=attempt.candidate,
        reason="R3",
        before=before,
        after=_snapshot(attempt),
    )
    return attempt


@transaction.atomic
def attempt_excuse_no_show(*, attempt: Attempt, acting_user: User, reason: str) -> Attempt:
    if not reason.strip():
        raise ValueError("an excused no-show needs a reason")
    attempt = _locked_attempt(attempt, {AttemptStatus.NO_SHOW})
    before = _snapshot(attempt)
    attempt.status = AttemptStatus.EXCUSED
    attempt.save(update_fields=["status"])
    record(
        action="attempt.no_show_excused",
        subject=attempt,
        actor=acting_user,
        subject_user=attempt.candidate,
        reason=reason,
        before=before,
        after=_snapshot(attempt),
    )
    return attempt


@transaction.atomic
def attempt_cancel(*, attempt: Attempt, acting_user: User) -> Attempt:
    attempt = _locked_attempt(attempt, {AttemptStatus.BOOKED})
    before = _snapshot(attempt)
    attempt.status = AttemptStatus.CANCELLED
    attempt.save(update_fields=["status"])
    record(
        action="attempt.cancelled",
        subject=attempt,
        actor=acting_user,
        subject_user=attempt.candidate,
        before=before,
        after=_snapshot(attempt),
    )
    events.attempt_cancelled.send(Attempt, attempt=attempt, acting_user=acting_user)
    return attempt


@transaction.atomic
def exception_grant(
    *,
    candidate: User,
    certification: str,
    evaluation: str,
    acting_user: User,
    reason: str,
    extra_attempts: int = 1,
    granted_on: date | None = None,
) -> AttemptException:
    """R3: staff allow attempts beyond the limit; who, when and why are recorded."""
    if not reason.strip():
        raise ValueError("an exception needs a reason")
    accounts_api.user_lock(candidate.pk)
    exception = AttemptException.objects.create(
        candidate=candidate,
        certification=_certification_row(certification),
        evaluation=catalog_api.evaluation_model(evaluation),
        extra_attempts=extra_attempts,
        granted_on=granted_on or timezone.localdate(),
        granted_by=acting_user,
        reason=reason,
    )
    record(
        action="exception.granted",
        subject=exception,
        actor=acting_user,
        subject_user=candidate,
        reason=reason,
        after={
            "certification": certification,
            "evaluation": evaluation,
            "extra_attempts": extra_attempts,
        },
    )
    return exception


@transaction.atomic
def waiver_grant(
    *,
    candidate: User,
    certification: str,
    evaluation: str,
    acting_user: User,
    reason: str,
    granted_on: date | None = None,
) -> Waiver:
    """Waive one evaluation (R10 claims call this on approval); what it completes is then
    awarded (``events.completions_changed``)."""
    if not reason.strip():
        raise ValueError("a waiver needs a reason")
    accounts_api.user_lock(candidate.pk)
    day = granted_on or timezone.localdate()
    waiver = Waiver.objects.create(
        candidate=candidate,
        certification=_certification_row(certification),
        evaluation=catalog_api.evaluation_model(evaluation),
        granted_on=day,
        granted_by=acting_user,
        reason=reason,
    )
    record(
        action="waiver.granted",
        subject=waiver,
        actor=acting_user,
        subject_user=candidate,
        reason=reason,
        after={"certification": certification, "evaluation": evaluation},
    )
    events.completions_changed.send(Waiver, candidate=candidate, today=day, acting_user=acting_user)
    return waiver
