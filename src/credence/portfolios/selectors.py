"""Reads of the portfolios app. Who may see which submission is decided in
portfolios/permissions.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from credence.portfolios import policy
from credence.portfolios.models import ExaminerAssignment, RubricScore, Submission
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


@dataclass(frozen=True)
class ScoreColumn:
    examiner: Any
    percent: Any
    notes: str
    points: dict[str, int]
    own: bool  # the viewer's own score


@dataclass(frozen=True)
class ScoreSheet:
    """The rubric scores a viewer may read, side by side: one column per examiner, one row per
    criterion. ``withheld`` counts the scores the viewer may not read yet (blind scoring)."""

    columns: list[ScoreColumn]
    rows: list[tuple[policy.Criterion, list[int | None]]]
    withheld: int


def score_sheet(
    submission: Submission, rubric: policy.Rubric, *, viewer: Any, reads_all: bool
) -> ScoreSheet:
    """Every score when ``reads_all`` (``portfolios.read_scores``), else only the viewer's."""
    scores = list(submission.scores.select_related("examiner").order_by("scored_at", "pk"))
    shown = [s for s in scores if reads_all or s.examiner_id == viewer.pk]
    columns = [
        ScoreColumn(s.examiner, s.percent, s.notes, dict(s.points), s.examiner_id == viewer.pk)
        for s in shown
    ]
    rows = [(c, [col.points.get(c.code) for col in columns]) for c in rubric.criteria]
    return ScoreSheet(columns=columns, rows=rows, withheld=len(scores) - len(shown))


def examiners_of(attempt_id: int) -> frozenset[int]:
    """The examiners assigned to, or who scored, the submission evaluated by the attempt."""
    assigned = ExaminerAssignment.objects.filter(submission__attempt_id=attempt_id)
    scored = RubricScore.objects.filter(submission__attempt_id=attempt_id)
    return frozenset(assigned.values_list("examiner_id", flat=True)) | frozenset(
        scored.values_list("examiner_id", flat=True)
    )
