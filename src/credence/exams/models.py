from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from credence.exams.statuses import AttemptStatus


class Attempt(models.Model):
    """One attempt at one evaluation (knowledge test or portfolio interview) of one
    certification. Its history feeds the rules R1-R4 through ``exams.selectors.history_for``.

    .. pii: a candidate's results (score, outcome, dates).
    .. pii_types: other
    .. pii_retirement: retained while a certificate relies on it; otherwise erased (issue 9).
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    certification = models.ForeignKey(
        "catalog.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    evaluation = models.ForeignKey(
        "catalog.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT
    )
    held_on = models.DateField(_("takes place on"))
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.BOOKED
    )
    score = models.DecimalField(
        _("score (percent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    released_on = models.DateField(_("result released on"), null=True, blank=True)
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["candidate", "certification", "evaluation"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                name="attempt_score_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification} · {self.evaluation} · {self.held_on}"


class Waiver(models.Model):
    """An evaluation the candidate need not take (R10: an approved partial-credit claim, or a
    staff decision). Counts in the cycle it was granted in (R12).

    .. pii: links a candidate to a decision about them.
    .. pii_types: other
    .. pii_retirement: retained while a certificate relies on it.
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    certification = models.ForeignKey(
        "catalog.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    evaluation = models.ForeignKey(
        "catalog.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT
    )
    granted_on = models.DateField(_("granted on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification} · {self.evaluation} waived"


class AttemptException(models.Model):
    """A staff exception (R3): attempts beyond the limit, with who, when and why.

    .. pii: links a candidate to a decision about them.
    .. pii_types: other
    .. pii_retirement: retained (audit).
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="attempt_exceptions",
    )
    certification = models.ForeignKey(
        "catalog.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    evaluation = models.ForeignKey(
        "catalog.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=1)
    granted_on = models.DateField(_("granted on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("attempt exception")
        verbose_name_plural = _("attempt exceptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extra_attempts__gte=1), name="exception_grants_an_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification} · {self.evaluation} +{self.extra_attempts}"


class ExamSession(models.Model):
    """A date and venue at which the knowledge test of one or more certifications is taken
    live (R11), with a capacity and a booking deadline. Candidates see it once published.

    .. pii: the proctors (accounts) who run it.
    .. pii_types: other
    .. pii_retirement: retained (who supervised a test); the account is pseudonymized.
    """

    certifications = models.ManyToManyField(
        "catalog.Certification", verbose_name=_("certifications"), related_name="exam_sessions"
    )
    venue = models.CharField(_("venue"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1)]
    )
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    booking_deadline = models.DateTimeField(_("booking deadline"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened by the proctor at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed by the proctor at"), null=True, blank=True)
    # Who runs it at the venue: a proctor sees and acts on their own sessions only
    # (docs/permissions.md); the program office runs any.
    proctors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proctors"),
        related_name="proctored_sessions",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booking_deadline__lte=models.F("starts_at")),
                name="session_deadline_before_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_has_seats"),
        ]

    def __str__(self) -> str:
        # as staff pages name the session: in the reader's date format and the local time
        return f"{self.venue} · {date_format(localtime(self.starts_at), 'DATETIME_FORMAT')}"


class Booking(models.Model):
    """A candidate's seat in a session: the attempt it books. A cancelled attempt frees the
    seat; the row stays as the record of the booking.

    .. pii: links a candidate (through the attempt) to a date and place.
    .. pii_types: other
    .. pii_retirement: erased with the attempt it belongs to.
    """

    session = models.ForeignKey(
        ExamSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="bookings"
    )
    attempt = models.OneToOneField(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="booking"
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "booked_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.attempt} @ {self.session}"


class Sitting(models.Model):
    """A checked-in candidate's live test: the form drawn for them, and its clock. The
    deadline is the server's (R11): start + the time limit (times an approved accommodation's
    factor, AC3) + extra time + time paused.

    .. pii: a candidate's test (through the booking), check-in and timing.
    .. pii_types: other
    .. pii_retirement: erased with the attempt it belongs to.
    """

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="sitting"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # [{"item": id, "version": id, "topic": code, "options": [index, ...]}, ...] in the order
    # the candidate sees them; option indexes point into the version's own option list
    form = models.JSONField(_("form"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"))
    # the candidate's approved extra time on the session's day (rule AC3, decision 0052),
    # fixed at check-in; the proctor's ``extra_minutes`` come on top
    time_factor = models.DecimalField(
        _("time factor (accommodation)"), max_digits=3, decimal_places=2, default=Decimal(1)
    )
    extra_minutes = models.PositiveSmallIntegerField(_("extra time (minutes)"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("time paused (seconds)"), default=0)
    position = models.PositiveSmallIntegerField(_("current item"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by_server = models.BooleanField(_("submitted at the deadline"), default=False)
    score = models.DecimalField(
        _("score (percent)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The percent of the candidate's own form; ``score`` is this raw percent equated to the
    # reference form of an adopted standard when there is one (decision 0019), else the same.
    raw_score = models.DecimalField(
        _("raw score (percent of the own form)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    topic_scores = models.JSONField(_("score per topic (percent)"), default=dict, blank=True)
    released_at = models.DateTimeField(_("result released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")

    def __str__(self) -> str:
        return str(self.booking)


class Response(models.Model):
    """A candidate's answer to one item of their form, saved the moment it is given.

    .. pii: a candidate's answers.
    .. pii_types: other
    .. pii_retirement: erased with the attempt it belongs to.
    """

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("sitting"), on_delete=models.CASCADE, related_name="responses"
    )
    position = models.PositiveSmallIntegerField(_("position in the form"))
    version = models.ForeignKey(
        "items.ItemVersion", verbose_name=_("item version"), on_delete=models.PROTECT
    )
    answer = models.JSONField(_("answer"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged for review"), default=False)
    # what the candidate noted with the flag: the start of a challenge of the item (C1)
    flag_comment = models.TextField(_("comment on the flagged item"), blank=True, default="")
    saved_at = models.DateTimeField(_("saved at"))
    # essays: the share of the item's marks an author gave, 0..1
    marked_share = models.DecimalField(
        _("mark (share of the item)"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["sitting", "position"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "position"], name="response_one_per_form_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sitting} #{self.position + 1}"
