"""A person's request to have their data erased (GDPR Art. 17), and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the program office")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CARRIED_OUT = "carried_out", _("Carried out")


class ErasureRequest(models.Model):
    """An erasure request: made by the person (password re-entered), carried out by the
    program office after the grace period (docs/decisions/0023). The row stays after the
    erasure as the proof that it was done (Art. 5(2) accountability); it holds ids and
    dates, and the erasure's summary per model, never a name or an address.

    .. pii: links a person to their request to be forgotten.
    .. pii_types: id, other
    .. pii_retirement: retained as the record of the erasure; the account is pseudonymized.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ErasureStatus, default=ErasureStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # {model label: what happened}, from each app's erase_user_data
    summary = models.JSONField(_("what was erased and what was kept"), default=dict, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="privacy_one_pending_erasure_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"erasure #{self.pk} of user {self.user_id} ({self.status})"
