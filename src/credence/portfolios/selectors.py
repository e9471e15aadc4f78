"""Reads of the portfolios app, and who may see what.

Candidates see their own submissions; examiners see only the submissions assigned to them;
the program office sees all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from credence.accounts.models import Role
from credence.portfolios import policy
from credence.portfolios.models import Submission


@dataclass(frozen=True)
class Access:
    submission: Submission
    is_candidate: bool
    is_examiner: bool
    is_staff: bool


def is_office(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.STAFF)))


def _base() -> QuerySet[Submission]:
    return Submission.objects.select_related("candidate", "certification", "attempt")


def access_submission(user: Any, pk: int) -> Access:
    """The submission with the viewer's standing, or 404 for everyone else (no hint that
    it exists)."""
    submission = _base().filter(pk=pk).first()
    if submission is None:
        raise Http404
    staff = is_office(user)
    examiner = submission.assignments.filter(examiner=user).exists()
    candidate = submission.candidate_id == user.pk
    if not (staff or examiner or candidate):
        raise Http404
    return Access(submission, candidate, examiner, staff)


def submissions_of(candidate: Any) -> QuerySet[Submission]:
    return _base().filter(candidate=candidate)


def submissions_assigned_to(examiner: Any) -> QuerySet[Submission]:
    return _base().filter(assignments__examiner=examiner)


def submissions_all() -> QuerySet[Submission]:
    return _base().prefetch_related("assignments__examiner", "scores")


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
