"""A candidate's accommodation (extra time, rest breaks, a separate room, assistive
technology, other), its supporting documents and the program office's decision (issue 18,
item 1; decision 0052)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccommodationKind(models.TextChoices):
    EXTRA_TIME = "extra_time", _("Extra time")
    REST_BREAKS = "rest_breaks", _("Rest breaks")
    SEPARATE_ROOM = "separate_room", _("A separate room")
    ASSISTIVE_TECHNOLOGY = "assistive_technology", _("Assistive technology")
    OTHER = "other", _("Other")


class AccommodationStatus(models.TextChoices):
    PENDING = "pending", _("Requested, waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AccommodationQuerySet(models.QuerySet["Accommodation"]):
    def shown(self) -> AccommodationQuerySet:
        """With what every accommodation page names: the candidate, who decided, the files."""
        return self.select_related("candidate", "decided_by").prefetch_related("documents")


class Accommodation(models.Model):
    """What the candidate asks for and why (rule AC1), and the office's one decision with its
    validity period (AC2); approved, it applies by itself on every day of that period (AC3).

    .. pii: a candidate's need for an accommodation (often about their health) and the
       office's decision about it.
    .. pii_types: other
    .. pii_retirement: deleted with the account, documents first; the audit trail keeps that
       a decision was made.
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="accommodations",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AccommodationKind)
    # only for extra time: the time limit is multiplied by it (AC3)
    time_factor = models.DecimalField(
        _("time factor"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    details = models.TextField(_("what is needed and why"))
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AccommodationStatus,
        default=AccommodationStatus.PENDING,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decision_note = models.TextField(_("the office's note to the candidate"), blank=True)

    objects = AccommodationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate_id} · {self.kind} · {self.status}"

    @property
    def factor_shown(self) -> Decimal | None:
        """The factor without trailing zeros (1.5, not 1.50), for pages and mails."""
        return None if self.time_factor is None else self.time_factor.normalize()


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


class AccommodationDocument(models.Model):
    """A supporting document (a medical certificate, a disability card). Stored under var/
    (never a served folder) with a random name; served back only to the candidate and the
    program office, as a download.

    .. pii: a document about the candidate, often about their health.
    .. pii_types: other
    .. pii_retirement: deleted with the account, and by the retention purge
       (accommodation_documents) after the accommodation's validity or refusal.
    """

    accommodation = models.ForeignKey(
        Accommodation,
        verbose_name=_("accommodation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    stored_name = models.CharField(_("stored name"), max_length=100, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    def __str__(self) -> str:
        return self.original_name
