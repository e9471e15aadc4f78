"""A candidate's appeal of a released result, and the independent reviewer's decision
(issue 18, item 3; decision 0051)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class AppealQuerySet(models.QuerySet["Appeal"]):
    def shown(self) -> AppealQuerySet:
        """With what every appeal page names: the result, the candidate, the reviewer."""
        return self.select_related(
            "attempt__certification", "attempt__evaluation", "candidate", "reviewer"
        )


class Appeal(models.Model):
    """One appeal per result (rule A1): the candidate's reasons, the reviewer the office
    assigns (rule A2: neither an examiner nor a proctor of that result), the decision.

    .. pii: the candidate's reasons and the reviewer's decision about them.
    .. pii_types: other
    .. pii_retirement: the reasons and the decision are erased with the account; the outcome
       and dates stay (an upheld appeal may have changed a result).
    """

    attempt = models.OneToOneField(
        "exams.Attempt", verbose_name=_("result"), on_delete=models.PROTECT, related_name="appeal"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed at"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_to_review",
    )
    assigned_at = models.DateTimeField(_("reviewer assigned at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome, default=AppealOutcome.PENDING
    )
    decision = models.TextField(_("decision and its reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.outcome}"
