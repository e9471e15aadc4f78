from __future__ import annotations

from typing import Any

from credence.credentials.selectors import certificate_records_for
from credence.exams.models import Attempt, AttemptException, Waiver
from credence.exams.policy import AttemptRecord, ExceptionRecord, History, WaiverRecord
from credence.exams.statuses import AttemptStatus


def history_for(candidate: Any) -> History:
    """Everything the rules need to know about one candidate, as plain data."""
    attempts = tuple(
        AttemptRecord(
            certification=a.certification.code,
            evaluation=a.evaluation.code,
            held_on=a.held_on,
            status=AttemptStatus(a.status),
            score=a.score,
            released_on=a.released_on,
        )
        for a in Attempt.objects.filter(candidate=candidate).select_related(
            "certification", "evaluation"
        )
    )
    waivers = tuple(
        WaiverRecord(w.certification.code, w.evaluation.code, w.granted_on)
        for w in Waiver.objects.filter(candidate=candidate).select_related(
            "certification", "evaluation"
        )
    )
    exceptions = tuple(
        ExceptionRecord(x.certification.code, x.evaluation.code, x.granted_on, x.extra_attempts)
        for x in AttemptException.objects.filter(candidate=candidate).select_related(
            "certification", "evaluation"
        )
    )
    return History(
        attempts=attempts,
        waivers=waivers,
        exceptions=exceptions,
        certificates=certificate_records_for(candidate),
    )
