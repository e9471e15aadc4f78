"""The portfolios app's part of the data-protection rights (docs/data-protection.md).

Submissions stay as the record behind an attempt's result, but erasure strips what names
people: the declared git identities, the evidence report (commit authors' names and
addresses), the written feedback and notes. The repository address stays only where a
certificate relies on it (the signed credential points to the repository at the evaluated
commit); otherwise it goes too. Clones are never kept: the analysis works in a temporary
folder that is removed when it ends."""

from __future__ import annotations

from datetime import date, datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.exams import api as exams_api
from credence.portfolios.models import RubricScore, Submission
from credence.portfolios.statuses import SubmissionStatus


def export_user_data(user: User) -> Export:
    submissions = Submission.objects.filter(candidate=user)
    return {
        label(Submission): rows(submissions),
        # The examiners' private notes to each other are part of the decision about the person.
        label(RubricScore): rows(RubricScore.objects.filter(submission__in=submissions)),
    }


def in_evaluation(user: User) -> int:
    """Submissions whose result is not released yet."""
    return (
        Submission.objects.filter(candidate=user)
        .exclude(status=SubmissionStatus.RELEASED)
        .exclude(attempt__status="cancelled")
        .count()
    )


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    # the certificates in the candidate's history: the credentials app sits above this one
    certified = {c.award for c in exams_api.history_for(user).certificates}
    submissions = Submission.objects.filter(candidate=user)
    stripped = submissions.update(
        identities=[],
        report=None,
        analysis_error="",
        feedback="",
        reconciliation_note="",
    )
    unrelied = submissions.exclude(certification__code__in=certified)
    unlinked = unrelied.update(url="", requested_ref="")
    RubricScore.objects.filter(submission__in=submissions).update(notes="")
    return {
        label(Submission): (
            f"stripped {stripped} (identities, report, feedback); "
            f"repository removed from {unlinked} no certificate relies on"
        ),
        label(RubricScore): "kept points; notes removed",
    }


def reports_purge(*, released_before: date, dry_run: bool) -> int:
    """Strip evidence reports and identities from submissions whose result was released
    before ``released_before`` (retention: portfolio_reports)."""
    old = Submission.objects.filter(attempt__released_on__lt=released_before, report__isnull=False)
    if dry_run:
        return old.count()
    return old.update(report=None, identities=[])
