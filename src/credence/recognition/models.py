"""The signal guide (seed 001) and partial-credit claims (R10).

The guide's rows are loaded from ``data/signal_guide.json`` by ``credence signalguide load``
and may then be edited by staff in the admin. Claims are a candidate's request that another
provider's certification waive one evaluation of one of ours; staff decide each.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credence.core.translated import (
    Translatable,
    TranslatedCharField,
    TranslatedJSONField,
    TranslatedTextField,
)


class SignalCategory(models.TextChoices):
    HIGH = "high", _("High signal")
    MODERATE = "moderate", _("Moderate signal")
    LOW = "low", _("Low signal / resume padding")
    AVOID = "avoid", _("Actively avoid")


class CriterionRating(models.TextChoices):
    HIGH = "high", _("high")
    MODERATE = "moderate", _("moderate")
    LOW = "low", _("low")


class GuideEntry(Translatable):
    """A certification the signal guide rates, or a kind of certificate it says to avoid.

    Condition lists hold ``{"text", "when", "against"}`` objects: ``text`` is the guide's
    line, ``when`` the advisor's condition code for it ("" when the questionnaire cannot
    decide it), ``against`` marks a line of a "Worth pursuing" list that speaks against.

    .. no_pii:
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    category = models.CharField(_("signal category"), max_length=16, choices=SignalCategory)
    cloud_platform = models.CharField(
        _("cloud platform"),
        max_length=16,
        blank=True,
        help_text=_("gcp, aws or azure when the certification is tied to one cloud platform."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    proves = TranslatedJSONField(_("what it proves"), default=list, blank=True)
    does_not_prove = TranslatedJSONField(_("what it does not prove"), default=list, blank=True)
    worth_pursuing_if = TranslatedJSONField(_("worth pursuing if"), default=list, blank=True)
    not_worth_it_if = TranslatedJSONField(_("not worth it if"), default=list, blank=True)
    signal_to_hiring_managers = TranslatedJSONField(
        _("signal to hiring managers"), default=list, blank=True
    )
    general_assessment = TranslatedJSONField(_("general assessment"), default=list, blank=True)
    better_alternatives = TranslatedJSONField(_("better alternatives"), default=list, blank=True)
    why_avoid = TranslatedJSONField(_("why avoid"), default=list, blank=True)
    reality = TranslatedTextField(_("reality"), blank=True)
    exception = TranslatedTextField(_("exception"), blank=True)
    prerequisites = TranslatedCharField(_("prerequisites"), max_length=300, blank=True)
    study_time = TranslatedCharField(_("study time"), max_length=100, blank=True)
    cost = TranslatedCharField(_("cost"), max_length=100, blank=True)

    technical_depth = models.CharField(_("technical depth"), max_length=16, choices=CriterionRating)
    rigor = models.CharField(_("rigor"), max_length=16, choices=CriterionRating)
    independence = models.CharField(_("independence"), max_length=16, choices=CriterionRating)
    industry_recognition = models.CharField(
        _("industry recognition"), max_length=16, choices=CriterionRating
    )
    signal_quality = models.CharField(_("signal quality"), max_length=16, choices=CriterionRating)
    criteria_rationale = TranslatedTextField(
        _("why these ratings"),
        blank=True,
        help_text=_("The guide scores no criterion; say what each rating rests on."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("signal guide entry")
        verbose_name_plural = _("signal guide entries")

    def __str__(self) -> str:
        return self.name


class GuidancePage(Translatable):
    """A general section of the guide (what hiring managers look for, the certification trap,
    …) as blocks: ``{"kind": "paragraph"|"subheading", "text"}`` or
    ``{"kind": "list", "ordered": bool, "items": [...]}``.

    .. no_pii:
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = TranslatedCharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    blocks = TranslatedJSONField(_("content blocks"), default=list)

    class Meta:
        ordering = ["position"]
        verbose_name = _("guidance page")
        verbose_name_plural = _("guidance pages")

    def __str__(self) -> str:
        return self.title


class SignalCategoryNote(Translatable):
    """What the guide says about a whole category ("These certifications indicate …").

    .. no_pii:
    """

    category = models.CharField(
        _("signal category"), max_length=16, choices=SignalCategory, unique=True
    )
    title = TranslatedCharField(_("title"), max_length=200)
    description = TranslatedTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("signal category note")
        verbose_name_plural = _("signal category notes")

    def __str__(self) -> str:
        return self.title


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the program office")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


OPEN_CLAIM_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.INFO_REQUESTED)


class Claim(models.Model):
    """A candidate's claim that another provider's certification earns partial credit (R10).

    .. pii: a candidate's external credential (id, URL, dates) and their messages with staff.
    .. pii_types: other
    .. pii_retirement: retained while a waiver it granted is relied on; otherwise erased (issue 9).
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="recognition_claims",
    )
    external = models.ForeignKey(
        "catalog.ExternalCertification",
        verbose_name=_("external certification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for a certification the recognition table does not list."),
    )
    other_name = models.CharField(_("certification name (other)"), max_length=200, blank=True)
    other_provider = models.CharField(_("provider (other)"), max_length=200, blank=True)
    credential_id = models.CharField(_("credential id"), max_length=200, blank=True)
    credential_url = models.URLField(_("credential URL"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    note = models.TextField(_("note from the candidate"), blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus, default=ClaimStatus.SUBMITTED
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    staff_message = models.TextField(
        _("message from the program office"),
        blank=True,
        help_text=_("The reason for a rejection, or what more is needed."),
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
    waiver = models.OneToOneField(
        "exams.Waiver",
        verbose_name=_("waiver granted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim",
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("partial-credit claim")
        verbose_name_plural = _("partial-credit claims")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(external__isnull=False) | ~models.Q(other_name=""),
                name="claim_names_a_certification",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="claim_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.certification_name}"

    @property
    def certification_name(self) -> str:
        # a claim without an external certification reads no row for it
        return self.external.name if self.external is not None else self.other_name

    @property
    def provider_name(self) -> str:
        return self.external.provider if self.external is not None else self.other_provider


class EvidenceKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    OPEN_BADGE = "open_badge", _("Open Badges 3.0 credential")


class VerificationStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Not a signed credential")
    NOT_VERIFIED = "not_verified", _("Not verified")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Verification failed")


class ClaimEvidence(models.Model):
    """A file a candidate uploaded for a claim. Stored under var/ (never a served folder)
    with a random name; served back only to the owner and staff, as a download.

    .. pii: a document about the candidate (a certificate with their name).
    .. pii_types: other
    .. pii_retirement: deleted with its claim (issue 9).
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="evidence"
    )
    stored_name = models.CharField(_("stored name"), max_length=100, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=VerificationStatus,
        default=VerificationStatus.NOT_APPLICABLE,
    )
    verification_detail = models.TextField(_("verification detail"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("claim evidence")
        verbose_name_plural = _("claim evidence")

    def __str__(self) -> str:
        return self.original_name
