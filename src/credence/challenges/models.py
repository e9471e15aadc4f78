"""A candidate's challenge of one item of a submitted knowledge test, and the decision on it
(issue 18, item 2; decision 0053). The decision itself is the item version's key ruling in
the item bank (``items.KeyRuling``), which scores every sitting that showed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    KEEP = "keep", _("Item kept as it is")
    REKEY = "rekey", _("Item rekeyed")
    ACCEPT = "accept", _("Several answers accepted")
    DROP = "drop", _("Item dropped from scoring")


class ChallengeQuerySet(models.QuerySet["Challenge"]):
    def shown(self) -> ChallengeQuerySet:
        return self.select_related(
            "candidate", "sitting__booking__attempt__certification", "version__item"
        )


class Challenge(models.Model):
    """One challenge of one item by one candidate (rule C1: within the program's window after
    submitting the test, once per item and candidate), and what was decided (C2).

    .. pii: the candidate's reasons for challenging an item of their test.
    .. pii_types: other
    .. pii_retirement: the reasons are erased with the account; the challenge's item, outcome
       and dates stay (a decision may have rescored results).
    """

    sitting = models.ForeignKey(
        "exams.Sitting",
        verbose_name=_("test"),
        on_delete=models.CASCADE,
        related_name="challenges",
    )
    position = models.PositiveSmallIntegerField(_("position in the form"))
    version = models.ForeignKey(
        "items.ItemVersion",
        verbose_name=_("item version"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="item_challenges",
    )
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed at"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ChallengeOutcome, default=ChallengeOutcome.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("item challenge")
        verbose_name_plural = _("item challenges")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # C1: once per item and candidate
            models.UniqueConstraint(
                fields=["candidate", "version"], name="one_challenge_per_item_and_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id} · {self.outcome}"
