"""A submission's evidence report, computed by the background task
(``tasks.analyse_submission``) after the submission and after the office asks again: a module
of its own, for the services enqueue that task."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.portfolios import errors
from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.gitsafe import GitError, Limits
from credence.portfolios.history import DEFAULT_BOTS
from credence.portfolios.models import Submission
from credence.portfolios.statuses import SubmissionStatus


def limits() -> Limits:
    return Limits(
        protocols=tuple(settings.CREDENCE_PORTFOLIO_PROTOCOLS),
        **settings.CREDENCE_PORTFOLIO_LIMITS,
    )


def topics_for(rules: catalog_api.ProgramRules, certification: str) -> list[tuple[str, str]]:
    """The certification's ``(code, name)`` topics, for the report's relevance."""
    return [(t.code, t.name) for t in rules.topics_of(certification)]


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
