"""The exams app's part of the data-protection rights (docs/data-protection.md).

Results (attempts, waivers, exceptions, sittings with their scores) stay after erasure: they
carry no name once the account is pseudonymized, certificates and invoices rest on them, and
R1-R3 decisions must stay explainable. The answers themselves are deleted: nothing the
platform must keep relies on them once the result is released."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, ExportFile, label, rows
from credence.exams.models import (
    Attempt,
    AttemptException,
    Booking,
    ExamSession,
    Response,
    Sitting,
    Waiver,
)
from credence.exams.reports.selectors import diagnostic_report
from credence.exams.statuses import AttemptStatus


def _sittings(user: User) -> Any:
    return Sitting.objects.filter(booking__attempt__candidate=user)


def export_user_data(user: User) -> Export:
    return {
        label(Attempt): rows(Attempt.objects.filter(candidate=user)),
        label(Waiver): rows(Waiver.objects.filter(candidate=user)),
        label(AttemptException): rows(AttemptException.objects.filter(candidate=user)),
        label(Booking): rows(Booking.objects.filter(attempt__candidate=user)),
        # The drawn form is the item bank's secret order, not information about the person.
        label(Sitting): rows(_sittings(user), exclude=("form",)),
        label(Response): rows(Response.objects.filter(sitting__in=_sittings(user))),
        # The sessions they ran as a proctor.
        label(ExamSession): rows(ExamSession.objects.filter(proctors=user)),
    }


def export_user_files(user: User) -> list[ExportFile]:
    """The diagnostic score report of every released knowledge test, as the person downloads
    it (decision 0044)."""
    # imported here, not at the top: the PDF brings fpdf, and this module is imported at
    # start-up (``exams.api``, which the apps acting on results import in their ``ready``),
    # which `credence --help` must not pay for (issue 14). Not an import cycle.
    from credence.exams.reports.pdf import diagnostic_pdf

    released = (
        _sittings(user)
        .filter(released_at__isnull=False, score__isnull=False)
        .select_related(
            "booking__attempt__certification",
            "booking__attempt__evaluation",
            "booking__attempt__candidate",
        )
        .order_by("released_at", "pk")
    )
    return [
        (
            f"score-reports/{s.booking.attempt.certification.code}-{s.booking.attempt.held_on}"
            f"-{s.pk}.pdf",
            diagnostic_pdf(diagnostic_report(s)),
        )
        for s in released
    ]


def ongoing_attempts(user: User) -> int:
    """Attempts booked and not yet decided: an erasure would pull the ground from under a
    sitting or an interview that is still to happen or still to be scored."""
    return Attempt.objects.filter(candidate=user, status=AttemptStatus.BOOKED).count()


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    deleted, _ = Response.objects.filter(sitting__in=_sittings(user)).delete()
    kept = "kept (results; no name once the account is pseudonymized)"
    return {
        label(Attempt): kept,
        label(Waiver): kept,
        label(AttemptException): kept,
        label(Booking): kept,
        label(Sitting): kept,
        label(Response): f"deleted {deleted}",
        label(ExamSession): "kept (who supervised a test); the account is pseudonymized",
    }


def responses_released_before(cutoff: datetime) -> Any:
    """Answers whose result was released before ``cutoff`` (retention: exam_responses)."""
    return Response.objects.filter(
        sitting__released_at__isnull=False, sitting__released_at__lt=cutoff
    )


def responses_purge(*, cutoff: datetime, dry_run: bool) -> int:
    answers = responses_released_before(cutoff)
    if dry_run:
        return answers.count()
    return answers.delete()[0]
