"""Reads of the portfolios app. Who may see which submission is decided in
portfolios/permissions.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from credence.portfolios import policy
from credence.portfolios.models import Submission
from credence.portfolios.statuses import SubmissionStatus


def base_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related("candidate", "certification", "attempt")


def submissions_of(candidate: Any) -> QuerySet[Submission]:
    return base_queryset().filter(candidate=candidate)


def submissions_assigned_to(examiner: Any) -> QuerySet[Submission]:
    return base_queryset().filter(assignments__examiner=examiner)


def submissions_awaiting_examiners(examiner: Any) -> QuerySet[Submission]:
    """What ``permissions.awaits_examiners`` lets every examiner read: no examiner assigned,
    no result released; never the examiner's own submission (it is theirs to read anyway,
    not to examine)."""
    return (
        base_queryset()
        .filter(assignments__isnull=True)
        .exclude(status=SubmissionStatus.RELEASED)
        .exclude(candidate=examiner)
        .order_by("submitted_at")
    )


def submissions_all() -> QuerySet[Submission]:
    return base_queryset().prefetch_related("assignments__examiner", "scores")


@dataclass(frozen=True)
class Scoring:
    percents: list[Any]
    combined: Any
    needs_reconciliation: bool


def scoring_for(submission: Submission, margin: Any) -> Scoring:
    percents = [s.percent for s in submission.scores.order_by("scored_at")]
    return Scoring(
        percents=percents,
        combined=policy.combined_score(percents) if len(percents) == 2 else None,
        needs_reconciliation=policy.needs_reconciliation(percents, margin),
    )
