"""Who may see and act on a portfolio submission (docs/permissions.md).

The candidate sees their own; an examiner sees only the submissions assigned to them and
scores those; the program office sees all and assigns, schedules and releases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office, require_permission
from credence.portfolios.models import Submission
from credence.portfolios.selectors import base_queryset


@rules.predicate
def submitted(user: Any, submission: Submission) -> bool:
    return submission is not None and bool(user.pk) and submission.candidate_id == user.pk


@rules.predicate
def examines(user: Any, submission: Submission) -> bool:
    return (
        submission is not None
        and bool(user.pk)
        and submission.assignments.filter(examiner_id=user.pk).exists()
    )


rules.add_perm("portfolios.read_submission", submitted | examines | is_office)
rules.add_perm("portfolios.score_submission", examines)
rules.add_perm("portfolios.reconcile_submission", examines | is_office)
# assign examiners, schedule the interview, release the result
rules.add_perm("portfolios.manage_submission", is_office)


@dataclass(frozen=True)
class Access:
    """The submission with the viewer's standing, for the page to show the right forms."""

    submission: Submission
    is_candidate: bool
    is_examiner: bool
    is_staff: bool


def access_submission(request: HttpRequest, pk: int, permission: str = "") -> Access:
    """404 for anyone who may not see the submission (no hint that it exists); 403 for one who
    sees it but may not do ``permission`` (a candidate asking to release their own)."""
    submission = access_object(request, base_queryset(), "portfolios.read_submission", pk=pk)
    if permission:
        require_permission(request, permission, submission)
    user = request.user
    return Access(
        submission,
        is_candidate=bool(submitted(user, submission)),
        is_examiner=bool(examines(user, submission)),
        is_staff=bool(is_office(user)),
    )
