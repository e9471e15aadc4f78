"""Writes of the portfolios app: submit, analyse, assign, schedule, score, reconcile, release.

Each owns its transaction and writes its audit event in it. Network work (asking the host
for the repository's refs, cloning) happens outside any transaction; the evidence report is
computed by the task worker (``report_services``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accommodations import api as accommodations_api
from credence.accounts.access import is_office
from credence.accounts.models import Role, User
from credence.audit.api import record
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams import api as exams_api
from credence.exams.api import BookingRefused, attempt_book, attempt_record_result
from credence.portfolios import errors, policy
from credence.portfolios.gitsafe import COMMIT_NOT_FOUND, GitError, fetch_commit, ls_remote
from credence.portfolios.models import (
    ExaminerAssignment,
    InterviewSlot,
    RubricScore,
    Submission,
)

# the refusal is the reads' too (the rubric in force is refused when the program has none);
# the app's callers catch it here, with the writes that raise it
from credence.portfolios.selectors import PortfolioError as PortfolioError
from credence.portfolios.selectors import limits, margin, rubric_for
from credence.portfolios.statuses import SubmissionStatus
from credence.portfolios.tasks import analyse_submission, send_interview_invitation


# Writes nothing, yet stays with the writes: it asks the repository's host over the network
# (with retries), the first step of submission_create, not a read of the platform's data.
def pin_commit(url: str, ref: str) -> str:
    """The commit to evaluate: ``ref`` if it is a commit id the host has, else what the branch
    or tag (or the default branch) points at now. Refuses private, missing and empty
    repositories, unknown commits, and says so when the host cannot be reached
    (``portfolios.errors``)."""
    kind = policy.ref_kind(ref) if ref else None
    protocols = settings.CREDENCE_PORTFOLIO_PROTOCOLS
    # a host that cannot be reached is asked again a few times before the candidate reads
    # that it is the platform's problem (gitsafe.retrying)
    delays = limits().retry_delays
    try:
        refs = ls_remote(url, protocols=protocols, retry_delays=delays)
    except GitError as exc:
        raise PortfolioError(errors.describe(exc)) from exc
    if not refs:
        raise PortfolioError(errors.empty())
    if kind == "commit":
        if ref not in refs.values():  # not a branch tip: ask the host for that one commit
            try:
                fetch_commit(url, ref, protocols=protocols, retry_delays=delays)
            except GitError as exc:
                if exc.kind == COMMIT_NOT_FOUND:
                    raise PortfolioError(errors.commit_not_found(ref)) from exc
                raise PortfolioError(errors.describe(exc)) from exc
        return ref
    if not ref:
        if "HEAD" not in refs:
            raise PortfolioError(_("The repository has no default branch; name a branch."))
        return refs["HEAD"]
    for name in (f"refs/heads/{ref}", f"refs/tags/{ref}^{{}}", f"refs/tags/{ref}"):
        if name in refs:
            return refs[name]
    raise PortfolioError(_("The repository has no branch or tag %(ref)s.") % {"ref": ref})


def submission_create(
    *,
    candidate: User,
    certification: str,
    url: str,
    ref: str = "",
    identities: Sequence[str] = (),
    acting_user: User,
    today: date | None = None,
) -> Submission:
    """Submit a repository for a certification's portfolio evaluation (R1-R3 via exams).

    Books the portfolio attempt, pins the commit, and enqueues the evidence report.
    """
    today = today or timezone.localdate()
    try:
        clean_url = policy.clean_repository_url(
            url,
            hosts=settings.CREDENCE_PORTFOLIO_HOSTS,
            schemes=settings.CREDENCE_PORTFOLIO_PROTOCOLS,
        )
        ref = ref.strip()
        if ref:
            policy.ref_kind(ref)
    except policy.UrlRefused as exc:
        raise PortfolioError(str(exc)) from exc
    # R1 first, so a candidate who may not submit yet learns why before we reach the network.
    decision = exams_api.may_book(
        catalog_api.program_rules(),
        exams_api.history_for(candidate),
        certification,
        policy.PORTFOLIO,
        today,
    )
    if isinstance(decision, Refused):
        raise BookingRefused(decision)
    rubric = rubric_for(certification)
    commit = pin_commit(clean_url, ref)
    declared = [i.strip() for i in identities if i.strip()][:20]
    with transaction.atomic():
        attempt = attempt_book(
            candidate=candidate,
            certification=certification,
            evaluation=policy.PORTFOLIO,
            held_on=today,
            acting_user=acting_user,
        )
        submission = Submission.objects.create(
            candidate=candidate,
            certification=attempt.certification,
            attempt=attempt,
            url=clean_url,
            requested_ref=ref,
            commit=commit,
            identities=declared,
            rubric=rubric.as_json(),
        )
        record(
            action="portfolio.submitted",
            subject=submission,
            actor=acting_user,
            subject_user=candidate,
            after={"url": clean_url, "commit": commit, "ref": ref},
        )
        transaction.on_commit(lambda: analyse_submission.enqueue(submission_id=submission.pk))
    return submission


def submission_reanalyse(*, submission: Submission, acting_user: User) -> Submission:
    """The office asks for a failed evidence report again, typically after the platform could
    not reach the host (``portfolios.errors``: the platform's problem, not the candidate's).
    The same pinned commit is analysed; the attempt and the fee are untouched."""
    _require_staff(acting_user)
    with transaction.atomic():
        fresh = Submission.objects.select_for_update().get(pk=submission.pk)
        if fresh.status != SubmissionStatus.ANALYSIS_FAILED:
            raise PortfolioError(_("Only a report that failed can be prepared again."))
        before = fresh.analysis_error
        fresh.status = SubmissionStatus.ANALYSING
        fresh.analysis_error = ""
        fresh.save(update_fields=["status", "analysis_error"])
        record(
            action="portfolio.reanalysis_requested",
            subject=fresh,
            actor=acting_user,
            subject_user=fresh.candidate,
            before={"error": before},
            after={"status": fresh.status},
        )
        transaction.on_commit(lambda: analyse_submission.enqueue(submission_id=fresh.pk))
    return fresh


def _require_staff(user: User) -> None:
    if not is_office(user):
        raise PortfolioError(_("Only the program office may do this."))


@transaction.atomic
def examiners_assign(
    *, submission: Submission, examiners: Sequence[Any], acting_user: User
) -> list[ExaminerAssignment]:
    """Assign exactly two different examiners (never the candidate); replaces earlier ones
    as long as nobody has scored yet."""
    _require_staff(acting_user)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    people = {e.pk: e for e in examiners}
    if len(people) != 2:
        raise PortfolioError(_("Assign two different examiners."))
    for person in people.values():
        if person.pk == submission.candidate_id:
            raise PortfolioError(_("Candidates cannot examine their own portfolio."))
        if not person.has_role(Role.EXAMINER):
            raise PortfolioError(_("%(name)s is not an examiner.") % {"name": person})
    if submission.scores.exists():
        raise PortfolioError(_("Examiners cannot be changed after scoring has begun."))
    before = sorted(submission.assignments.values_list("examiner_id", flat=True))
    submission.assignments.all().delete()
    created = [
        ExaminerAssignment.objects.create(submission=submission, examiner=e)
        for e in people.values()
    ]
    record(
        action="portfolio.examiners_assigned",
        subject=submission,
        actor=acting_user,
        subject_user=submission.candidate,
        before={"examiners": before},
        after={"examiners": sorted(people)},
    )
    return created


@transaction.atomic
def slot_schedule(
    *,
    submission: Submission,
    starts_at: datetime,
    minutes: int,
    location: str,
    acting_user: User,
) -> InterviewSlot:
    _require_staff(acting_user)
    if timezone.is_naive(starts_at):
        raise PortfolioError(_("The interview time needs a time zone."))
    if not 10 <= minutes <= 240:
        raise PortfolioError(_("An interview lasts between 10 and 240 minutes."))
    if not location.strip():
        raise PortfolioError(_("Say where the interview takes place (a room or a video link)."))
    # the candidate's approved extra time on the interview's day lengthens it by itself (AC3)
    factor = accommodations_api.time_factor_for(
        submission.candidate_id, timezone.localdate(starts_at)
    )
    length = accommodations_api.extended_minutes(minutes, factor)
    slot, _created = InterviewSlot.objects.update_or_create(
        submission=submission,
        defaults={
            "starts_at": starts_at,
            "minutes": length,
            "extended_from": minutes if length != minutes else None,
            "location": location.strip(),
        },
    )
    record(
        action="portfolio.interview_scheduled",
        subject=submission,
        actor=acting_user,
        subject_user=submission.candidate,
        reason="AC3" if length != minutes else "",
        after={
            "starts_at": starts_at.isoformat(),
            "minutes": length,
            "time_factor": str(factor),
        },
    )
    # the invitation is a row of this transaction: no interview without its mail
    send_interview_invitation.enqueue(submission_id=submission.pk)
    return slot


@transaction.atomic
def score_record(
    *,
    submission: Submission,
    points: Mapping[str, int],
    notes: str = "",
    acting_user: User,
) -> RubricScore:
    """An assigned examiner scores the rubric, blind (decision 0029): they may revise their
    score until the other examiner has scored too, never after the result is released."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.assignments.filter(examiner=acting_user).exists():
        raise PortfolioError(_("Only the examiners assigned to this portfolio may score it."))
    revision = policy.may_revise_score(
        released=submission.status == SubmissionStatus.RELEASED,
        scores=submission.scores.count(),
        own=submission.scores.filter(examiner=acting_user).exists(),
    )
    if isinstance(revision, Refused):
        raise PortfolioError(revision.reason)
    rubric = policy.Rubric.from_json(submission.rubric)
    try:
        percent = policy.rubric_percent(rubric, points)
    except policy.ScoringError as exc:
        raise PortfolioError(str(exc)) from exc
    score, _created = RubricScore.objects.update_or_create(
        submission=submission,
        examiner=acting_user,
        defaults={"points": dict(points), "percent": percent, "notes": notes.strip()},
    )
    record(
        action="portfolio.scored",
        subject=submission,
        actor=acting_user,
        subject_user=submission.candidate,
        after={"percent": str(percent), "points": dict(points)},
    )
    return score


@transaction.atomic
def submission_reconcile(
    *, submission: Submission, score: Decimal, note: str, acting_user: User
) -> Submission:
    """The examiners' agreed score when they differed by more than the margin."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    is_examiner = submission.assignments.filter(examiner=acting_user).exists()
    if not is_examiner:
        _require_staff(acting_user)
    percents = list(submission.scores.values_list("percent", flat=True))
    if not policy.needs_reconciliation(percents, margin()):
        raise PortfolioError(_("The examiners' scores are close enough; nothing to reconcile."))
    if not Decimal(0) <= score <= Decimal(100):
        raise PortfolioError(_("A score is a percent from 0 to 100."))
    if not note.strip():
        raise PortfolioError(_("Explain how the examiners agreed on the score."))
    submission.reconciled_score = score.quantize(policy.TWO)
    submission.reconciliation_note = note.strip()
    submission.save(update_fields=["reconciled_score", "reconciliation_note"])
    record(
        action="portfolio.reconciled",
        subject=submission,
        actor=acting_user,
        subject_user=submission.candidate,
        after={"score": str(submission.reconciled_score)},
    )
    return submission


def submission_release(
    *, submission: Submission, feedback: str, acting_user: User, today: date | None = None
) -> Submission:
    """Release the result: the averaged (or reconciled) score goes to the attempt, where R2-R5
    apply (``exams.services.attempt_record_result``); the candidate sees score and feedback."""
    _require_staff(acting_user)
    today = today or timezone.localdate()
    if not feedback.strip():
        raise PortfolioError(_("Write the feedback the candidate will read."))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status == SubmissionStatus.RELEASED:
            raise PortfolioError(_("The result has already been released."))
        percents = list(submission.scores.values_list("percent", flat=True))
        decision = policy.may_release(
            percents=percents, margin=margin(), reconciled=submission.reconciled_score
        )
        if isinstance(decision, Refused):
            raise PortfolioError(decision.reason)
        final = (
            submission.reconciled_score
            if policy.needs_reconciliation(percents, margin())
            else policy.combined_score(percents)
        )
        assert final is not None  # may_release refuses a release still to be reconciled
        attempt_record_result(
            attempt=submission.attempt, score=final, released_on=today, acting_user=acting_user
        )
        submission.feedback = feedback.strip()
        submission.status = SubmissionStatus.RELEASED
        submission.save(update_fields=["feedback", "status"])
        record(
            action="portfolio.released",
            subject=submission,
            actor=acting_user,
            subject_user=submission.candidate,
            after={"score": str(final)},
        )
    return submission
