"""The evidence report of a submission (decision 0011): computed by the background task
``tasks.analyse_submission`` after the submission commits, outside any transaction (cloning
takes a while), and stored with its audit event; a failure is stored with its reason.

The services enqueue the task (``services.submission_create``, ``submission_reanalyse``); the
task calls this module, which imports neither, so no module of the app imports one that
imports it back (decision 0007)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.portfolios import errors
from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.gitsafe import GitError
from credence.portfolios.history import DEFAULT_BOTS
from credence.portfolios.models import Submission
from credence.portfolios.selectors import limits, topics_for
from credence.portfolios.statuses import SubmissionStatus


def submission_analyse(*, submission_id: int) -> Submission:
    """Compute the evidence report (the background task's body); failures are stored."""
    submission = Submission.objects.select_related("certification__program").get(pk=submission_id)
    # the program in force when the report is computed, right after the submission
    rules = catalog_api.rules_cached(submission.certification.program)
    try:
        report = analyze(
            submission.url,
            commit=submission.commit,
            identities=submission.identities,
            topics=topics_for(rules, submission.certification.code),
            limits=limits(),
            bots=(*DEFAULT_BOTS, *rules.portfolio_bots),
        )
        error = ""
    except AnalysisError as exc:
        report, error = None, str(exc)
    except GitError as exc:  # a git step after the clone (reading the history or the tree)
        report, error = None, errors.describe(exc)
    with transaction.atomic():
        fresh = Submission.objects.select_for_update().get(pk=submission_id)
        if fresh.status == SubmissionStatus.RELEASED:
            return fresh
        fresh.report = report
        fresh.analysis_error = error
        fresh.analysed_at = timezone.now()
        fresh.status = SubmissionStatus.ANALYSED if report else SubmissionStatus.ANALYSIS_FAILED
        fresh.save(update_fields=["report", "analysis_error", "analysed_at", "status"])
        record(
            action="portfolio.analysed",
            subject=fresh,
            subject_user=fresh.candidate,
            after={"status": fresh.status, "error": error},
        )
    return fresh
