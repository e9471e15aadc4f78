"""Reads of the portfolios app: submissions, their scores and reports, and what the program
and the settings say of them (the rubric in force, the reconciliation margin, the limits of
reading a repository, a certification's topics). Who may see which submission is decided in
portfolios/permissions.py."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.catalog import api as catalog_api
from credence.portfolios import policy
from credence.portfolios.gitsafe import Limits
from credence.portfolios.models import ExaminerAssignment, RubricScore, Submission
from credence.portfolios.statuses import SubmissionStatus


class PortfolioError(Exception):
    """A request the portfolio rules refuse; the message is for the person who made it."""


def rubric_for(certification: str) -> policy.Rubric:
    """The certification's rubric in the program in force (``[certifications.rubric]`` as
    loaded into the catalog). A submission keeps the one it was made under (``rubric``)."""
    try:
        spec = catalog_api.program_rules().certification(certification).rubric
    except KeyError:
        spec = None
    if spec is None:
        raise PortfolioError(
            _("The program file has no interview rubric for %(code)s.") % {"code": certification}
        )
    return policy.Rubric(
        scale=spec.scale,
        criteria=tuple(policy.Criterion(c.code, c.name, c.weight) for c in spec.criteria),
    )


def margin() -> Decimal:
    return Decimal(str(settings.CREDENCE_PORTFOLIO_RECONCILE_MARGIN))


def limits() -> Limits:
    return Limits(
        protocols=tuple(settings.CREDENCE_PORTFOLIO_PROTOCOLS),
        **settings.CREDENCE_PORTFOLIO_LIMITS,
    )


def topics_for(rules: catalog_api.ProgramRules, certification: str) -> list[tuple[str, str]]:
    """The certification's ``(code, name)`` topics, for the report's relevance."""
    return [(t.code, t.name) for t in rules.topics_of(certification)]


def base_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related("candidate", "certification", "attempt")


def submissions_of(candidate: User) -> QuerySet[Submission]:
    return base_queryset().filter(candidate=candidate)


def submissions_assigned_to(examiner: User) -> QuerySet[Submission]:
    return base_queryset().filter(assignments__examiner=examiner)


def submissions_awaiting_examiners(examiner: User) -> QuerySet[Submission]:
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
    examiner: User
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


# --- the evidence behind a certificate (credentials reads it; decision 0054) ---------------


def report_bytes(report: Any) -> bytes:
    """The evidence report's canonical serialisation: JSON with sorted keys, no spaces, UTF-8
    (not ASCII escapes). Its SHA-256 is the digest a credential signs, so anyone holding the
    report can check it with ``sha256sum``."""
    return json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def report_digest(report: Any) -> str:
    return hashlib.sha256(report_bytes(report)).hexdigest()


@dataclass(frozen=True)
class PortfolioEvidence:
    """What a passed portfolio evaluation rests on: the repository at the pinned commit, the
    digest of the evidence report as stored now, and how the two examiners agreed."""

    submission: int
    repository: str  # without a trailing slash or ".git"
    commit: str
    report_digest: str | None  # None when no report was stored
    percents: tuple[Decimal, ...]  # each examiner's, in the order they scored
    margin: Decimal  # the largest difference released without reconciliation
    reconciled: Decimal | None  # the agreed score, when they differed by more

    @property
    def difference(self) -> Decimal | None:
        if len(self.percents) != 2:
            return None
        return abs(self.percents[0] - self.percents[1])


def evaluated_portfolio(
    candidate: User, certification: str, held_on: date, released_on: date | None
) -> PortfolioEvidence | None:
    """The released, passed submission behind the candidate's portfolio attempt held on
    ``held_on`` and released on ``released_on``; None when there is none."""
    submission = (
        submissions_of(candidate)
        .filter(
            certification__code=certification,
            attempt__held_on=held_on,
            attempt__released_on=released_on,
            attempt__status="passed",
        )
        .first()
    )
    if submission is None:
        return None
    return PortfolioEvidence(
        submission=submission.pk,
        repository=submission.url.rstrip("/").removesuffix(".git"),
        commit=submission.commit,
        report_digest=(report_digest(submission.report) if submission.report is not None else None),
        percents=tuple(
            submission.scores.order_by("scored_at", "pk").values_list("percent", flat=True)
        ),
        margin=Decimal(str(settings.CREDENCE_PORTFOLIO_RECONCILE_MARGIN)),
        reconciled=submission.reconciled_score,
    )


def stored_report(submission: int) -> Any:
    """The evidence report of submission ``submission`` as stored (None when there is none)."""
    return Submission.objects.filter(pk=submission).values_list("report", flat=True).first()
