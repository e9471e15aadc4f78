"""Released knowledge-test results counted per session, for the public transparency page
(psychometrics, decision 0045): counts only, no candidate in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from credence.exams.models import Sitting
from credence.exams.statuses import AttemptStatus


@dataclass(frozen=True)
class SessionResults:
    session: int
    starts_at: datetime
    venue: str
    released: int  # results released to candidates
    passed: int  # of those, passes (R4)


def released_results(certification: str) -> list[SessionResults]:
    """Per session, oldest first: how many of ``certification``'s knowledge-test results are
    released and how many of them passed. A result not yet released is not counted: the
    candidate has not seen it, so no page may hint at it."""
    rows = (
        Sitting.objects.filter(
            released_at__isnull=False, booking__attempt__certification__code=certification
        )
        .values("booking__session", "booking__session__starts_at", "booking__session__venue")
        .annotate(
            released=Count("pk"),
            passed=Count("pk", filter=Q(booking__attempt__status=AttemptStatus.PASSED)),
        )
        .order_by("booking__session__starts_at", "booking__session")
    )
    return [
        SessionResults(
            session=row["booking__session"],
            starts_at=row["booking__session__starts_at"],
            venue=row["booking__session__venue"],
            released=row["released"],
            passed=row["passed"],
        )
        for row in rows
    ]
