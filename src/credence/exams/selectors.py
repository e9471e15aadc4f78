from __future__ import annotations

from django.db.models import QuerySet

from credence.accounts.models import User
from credence.core.compiled import CompiledRead
from credence.exams.models import Attempt, AttemptException, ExamSession, Waiver
from credence.exams.policy import AttemptRecord, ExceptionRecord, History, WaiverRecord
from credence.exams.ports import certificate_records_for
from credence.exams.statuses import AttemptStatus

# Every booking reads the candidate's history: compiled once (decision 0047, issue 14).
_ATTEMPTS = CompiledRead(
    # the live test, if any, in the same query (attempt -> booking -> sitting, one each)
    lambda candidate: Attempt.objects.filter(candidate=candidate).values_list(
        "certification__code",
        "evaluation__code",
        "held_on",
        "status",
        "score",
        "released_on",
        "booking__sitting__pk",
        "booking__sitting__submitted_at",
    )
)
_GRANTED = ("certification__code", "evaluation__code", "granted_on")
_WAIVERS = CompiledRead(
    lambda candidate: Waiver.objects.filter(candidate=candidate).values_list(*_GRANTED)
)
_EXCEPTIONS = CompiledRead(
    lambda candidate: AttemptException.objects.filter(candidate=candidate).values_list(
        *_GRANTED, "extra_attempts"
    )
)


def history_for(candidate: User) -> History:
    """Everything the rules need to know about one candidate, as plain data: rows as tuples
    of the columns the rules use, not models (every booking reads it; issue 14). The
    certificates come through the port the credentials app provides (decision 0055)."""
    attempts = tuple(
        AttemptRecord(
            certification=code,
            evaluation=evaluation,
            held_on=held_on,
            status=AttemptStatus(status),
            score=score,
            released_on=released_on,
            sitting_id=sitting_id,
            submitted=submitted_at is not None,
        )
        for code, evaluation, held_on, status, score, released_on, sitting_id, submitted_at in (
            _ATTEMPTS.rows(candidate.pk)
        )
    )
    waivers = tuple(WaiverRecord(*row) for row in _WAIVERS.rows(candidate.pk))
    exceptions = tuple(ExceptionRecord(*row) for row in _EXCEPTIONS.rows(candidate.pk))
    return History(
        attempts=attempts,
        waivers=waivers,
        exceptions=exceptions,
        certificates=certificate_records_for(candidate),
    )


def released_attempts_of(candidate: User) -> QuerySet[Attempt]:
    """The candidate's results that are released, latest first, with their names."""
    return (
        Attempt.objects.filter(candidate=candidate, released_on__isnull=False)
        .select_related("certification", "evaluation")
        .order_by("-released_on", "-id")
    )


def attempt_get(pk: int) -> Attempt:
    """One attempt with its candidate and names; raises ``Attempt.DoesNotExist``."""
    return Attempt.objects.select_related("candidate", "certification", "evaluation").get(pk=pk)


def proctors_of(attempt_id: int) -> frozenset[int]:
    """The accounts that ran the session the attempt was sat in (none for a portfolio)."""
    return frozenset(
        ExamSession.objects.filter(bookings__attempt_id=attempt_id).values_list(
            "proctors", flat=True
        )
    ) - {None}
