"""A candidate's portfolio submission, its evidence report, the interview and the scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from credence.portfolios.statuses import SubmissionStatus


class Submission(models.Model):
    """One repository at one pinned commit, submitted for the portfolio evaluation of one
    certification; it is the evidence behind one ``exams.Attempt``.

    .. pii: the repository address, the candidate's declared git identities (names, e-mails,
       GitHub login), the evidence report (commit authors' names and e-mails), the result.
    .. pii_types: email_address, name, other
    .. pii_retirement: retained while a certificate relies on it (the verification page shows
       the repository at the evaluated commit); otherwise erased (issue 9).
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="portfolio_submissions",
    )
    certification = models.ForeignKey(
        "catalog.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    attempt = models.OneToOneField(
        "exams.Attempt",
        verbose_name=_("attempt"),
        on_delete=models.PROTECT,
        related_name="portfolio_submission",
    )
    url = models.CharField(_("repository"), max_length=500)
    requested_ref = models.CharField(
        _("branch, tag or commit asked for"), max_length=200, blank=True
    )
    commit = models.CharField(_("pinned commit"), max_length=40)
    identities = models.JSONField(_("declared identities"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.ANALYSING,
    )
    report = models.JSONField(_("evidence report"), null=True, blank=True)
    analysis_error = models.TextField(_("why the report failed"), blank=True)
    analysed_at = models.DateTimeField(_("report prepared at"), null=True, blank=True)
    # The rubric as the program file had it when the submission was made: the interview is
    # scored against what the candidate was told, even if the program file changes later.
    rubric = models.JSONField(_("rubric"))
    reconciled_score = models.DecimalField(
        _("reconciled score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reconciliation_note = models.TextField(_("reconciliation note"), blank=True)
    feedback = models.TextField(_("written feedback to the candidate"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("portfolio submission")
        verbose_name_plural = _("portfolio submissions")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification} · {self.commit[:12]}"


class ExaminerAssignment(models.Model):
    """An examiner assigned to a submission; examiners see only their assigned submissions.

    .. no_pii: links two accounts to a submission; the people are in accounts.User.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiner"),
        on_delete=models.PROTECT,
        related_name="portfolio_assignments",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "examiner"], name="one_assignment_per_examiner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.examiner} · {self.submission_id}"


class InterviewSlot(models.Model):
    """When and where the interview takes place.

    .. no_pii: a time and a place.
    """

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="slot")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=45)
    # the length the office chose, when the candidate's approved extra time lengthened it
    # (rule AC3, decision 0052); None when it did not
    extended_from = models.PositiveSmallIntegerField(
        _("length before the accommodation"), null=True, blank=True
    )
    location = models.CharField(_("room or video link"), max_length=300)

    def __str__(self) -> str:
        return f"{date_format(localtime(self.starts_at), 'DATETIME_FORMAT')} · {self.location}"


class RubricScore(models.Model):
    """One examiner's rubric points for one submission, and the percent they make.

    .. pii: an examiner's judgement of a candidate.
    .. pii_types: other
    .. pii_retirement: erased with the submission (issue 9).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portfolio_scores"
    )
    points = models.JSONField(_("points per criterion"))
    percent = models.DecimalField(_("weighted percent"), max_digits=5, decimal_places=2)
    notes = models.TextField(_("notes for the other examiner and the office"), blank=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "examiner"], name="one_score_per_examiner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.examiner} · {self.percent} %"
