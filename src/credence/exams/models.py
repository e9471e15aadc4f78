from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
