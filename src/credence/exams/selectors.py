from __future__ import annotations

from typing import Any

from credence.credentials.selectors import certificate_records_for
from credence.exams.models import Attempt, AttemptException, Waiver
from credence.exams.policy import AttemptRecord, ExceptionRecord, History, WaiverRecord
from credence.exams.statuses import AttemptStatus


def history_for(candidate: Any) -> History:
    """Everything the rules need to know about one candidate, as plain data: rows as tuples
    of the columns the rules use, not models (every booking reads it; issue 14)."""
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
        # the live test, if any, in the same query (attempt -> booking -> sitting, one each)
        for code, evaluation, held_on, status, score, released_on, sitting_id, submitted_at in (
            Attempt.objects.filter(candidate=candidate).values_list(
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
    )
    granted = ("certification__code", "evaluation__code", "granted_on")
    waivers = tuple(
        WaiverRecord(*row)
        for row in Waiver.objects.filter(candidate=candidate).values_list(*granted)
    )
    exceptions = tuple(
        ExceptionRecord(*row)
        for row in AttemptException.objects.filter(candidate=candidate).values_list(
            *granted, "extra_attempts"
        )
    )
    return History(
        attempts=attempts,
        waivers=waivers,
        exceptions=exceptions,
        certificates=certificate_records_for(candidate),
    )
