"""Who may see and act on a portfolio submission (docs/permissions.md).

The candidate sees their own; an examiner sees the submissions assigned to them and scores
those, and reads the ones still awaiting examiners (docs/decisions/0027); the program office
sees all and assigns, schedules and releases. Scoring is blind (docs/decisions/0029): an
examiner reads the other examiner's score, notes and points only after submitting their own;
the office reads all of them."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accounts.access import access_object, is_examiner, is_office, require_permission
from credence.accounts.models import User
from credence.portfolios import policy
from credence.portfolios.models import Submission
from credence.portfolios.selectors import base_queryset
from credence.portfolios.statuses import SubmissionStatus


@rules.predicate
def submitted(user: User | AnonymousUser, submission: Submission) -> bool:
    return submission is not None and bool(user.pk) and submission.candidate_id == user.pk


@rules.predicate
def examines(user: User | AnonymousUser, submission: Submission) -> bool:
    return (
        submission is not None
        and bool(user.pk)
        and submission.assignments.filter(examiner_id=user.pk).exists()
    )


@rules.predicate
def awaits_examiners(user: User | AnonymousUser, submission: Submission) -> bool:
    """No examiner is assigned yet and no result released: any examiner may read it (to
    prepare, or to tell the office of a conflict of interest before it assigns two)."""
    return (
        submission is not None
        and submission.status != SubmissionStatus.RELEASED
        and not submission.assignments.exists()
    )


@rules.predicate
def reads_scores(user: User | AnonymousUser, submission: Submission) -> bool:
    """``policy.scores_visible``: the office, or an assigned examiner who has scored."""
    if submission is None or not user.pk:
        return False
    return policy.scores_visible(
        office=bool(is_office(user)),
        assigned=bool(examines(user, submission)),
        scored=submission.scores.filter(examiner_id=user.pk).exists(),
    ).allowed


rules.add_perm(
    "portfolios.read_submission",
    submitted | examines | (is_examiner & awaits_examiners) | is_office,
)
rules.add_perm("portfolios.score_submission", examines)
rules.add_perm("portfolios.reconcile_submission", examines | is_office)
# the other examiner's score, notes and points (blind scoring, decision 0029)
rules.add_perm("portfolios.read_scores", reads_scores)
# assign examiners, schedule the interview, release the result
rules.add_perm("portfolios.manage_submission", is_office)


@dataclass(frozen=True)
class Access:
    """The submission with the viewer's standing, for the page to show the right forms."""

    submission: Submission
    is_candidate: bool
    is_examiner: bool  # assigned to this submission
    is_staff: bool
    awaits_you: bool = False  # an examiner who may read it while it awaits examiners
    reads_scores: bool = False  # every score, notes and points (else at most one's own)


def access_submission(request: HttpRequest, pk: int, permission: str = "") -> Access:
    """404 for anyone who may not see the submission (no hint that it exists); 403 for one who
    sees it but may not do ``permission`` (a candidate asking to release their own)."""
    submission = access_object(request, base_queryset(), "portfolios.read_submission", pk=pk)
    if permission:
        require_permission(request, permission, submission)
    user = request.user
    assigned = bool(examines(user, submission))
    return Access(
        submission,
        is_candidate=bool(submitted(user, submission)),
        is_examiner=assigned,
        is_staff=bool(is_office(user)),
        awaits_you=not assigned
        and bool(is_examiner(user))
        and bool(awaits_examiners(user, submission))
        and submission.candidate_id != user.pk,
        reads_scores=user.has_perm("portfolios.read_scores", submission),
    )
