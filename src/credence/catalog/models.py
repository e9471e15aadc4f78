"""The catalog: a program and everything its program file defines, as rows other apps refer to.

The program file is the source of truth; ``services.program_load`` writes these rows from it
and staff may adjust them in the admin. Once loaded, these rows are the program in force:
nothing reads the file again at run time. Rules are read back as plain data through
``api.program_rules()``, never by other apps querying these models.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from credence.core.translated import (
    Translatable,
    TranslatedCharField,
    TranslatedJSONField,
    TranslatedTextField,
)


class CertificationKind(models.TextChoices):
    # values are policy.Kind's, which the pure rules compare against
    REQUIRED = "required", _("required")
    ELECTIVE = "elective", _("elective")


class _Timestamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


_PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Program(Translatable, _Timestamped):
    """A certification program and its rules (R2-R12), with the composite award (R6).

    .. no_pii:
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = TranslatedCharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3)

    fee_per_evaluation = models.DecimalField(
        _("fee per evaluation"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    wait_after_failure_months = models.PositiveSmallIntegerField(_("wait after a failure (months)"))
    max_attempts = models.PositiveSmallIntegerField(_("attempts per evaluation"))
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"))
    refund_threshold = models.DecimalField(
        _("refund threshold (score strictly over)"),
        max_digits=5,
        decimal_places=2,
        validators=_PERCENT,
    )
    default_pass_mark = models.DecimalField(
        _("default pass mark"), max_digits=5, decimal_places=2, validators=_PERCENT
    )
    recertification_window_months = models.PositiveSmallIntegerField(
        _("recertification window (months)")
    )
    reminder_days = models.JSONField(_("reminder days before expiry"), default=list)
    appeal_window_days = models.PositiveSmallIntegerField(
        _("days to appeal a result after its release"), default=30
    )
    challenge_window_days = models.PositiveSmallIntegerField(
        _("days to challenge an item after submitting the test"), default=14
    )

    # The composite award; its components are the certifications by kind.
    composite_code = models.SlugField(_("composite award code"), max_length=50)
    composite_name = TranslatedCharField(_("composite award name"), max_length=200)
    composite_min_electives = models.PositiveSmallIntegerField(_("electives needed"))
    # [portfolio] bots: patterns the evidence report sets aside as bots besides its own
    portfolio_bots = models.JSONField(_("portfolio bot patterns"), default=list, blank=True)
    # [issuer]: printed on invoices, credit notes and refund statements (policy.IssuerSpec's
    # JSON); null when the file has none
    issuer = models.JSONField(_("issuer of invoices"), null=True, blank=True)

    source_sha256 = models.CharField(_("SHA-256 of the program file"), max_length=64, blank=True)
    # A value never used before, written with every change to the program or one of its rows
    # (catalog.signals): the version of the rules as a whole, by which the public pages keep
    # them in memory. Random rather than a clock or a counter, so that neither a frozen clock
    # nor a save of a stale copy of this row can bring back a version already seen.
    rules_version = models.UUIDField(_("rules version"), default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class Topic(Translatable):
    """A subject a certification covers; shared topics show where electives overlap.

    .. no_pii:
    """

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="topics"
    )
    code = models.SlugField(_("code"), max_length=50)
    name = TranslatedCharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="catalog_topic_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Certification(Translatable, _Timestamped):
    """One certification of a program ("AI Expert Certification").

    .. no_pii:
    """

    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    code = models.SlugField(_("code"), max_length=50)
    name = TranslatedCharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CertificationKind.choices)
    description = TranslatedTextField(_("description"), blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="certifications"
    )
    proves = TranslatedJSONField(_("what it proves"), default=list)
    does_not_prove = TranslatedJSONField(_("what it does not prove"), default=list)
    suggested_projects = TranslatedJSONField(_("suggested portfolio projects"), default=list)
    # [certifications.rubric] and [certifications.blueprint] as policy.RubricSpec and
    # policy.BlueprintSpec store them (as_json); null when the file gives none. What a
    # submission or a sitting was taken under is kept by the submission and the sitting.
    rubric = models.JSONField(_("portfolio interview rubric"), null=True, blank=True)
    blueprint = models.JSONField(_("knowledge-test blueprint"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="catalog_certification_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(Translatable, _Timestamped):
    """An evaluation every certification of the program has, taken in ``order`` (R1).

    .. no_pii:
    """

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="evaluations"
    )
    code = models.SlugField(_("code"), max_length=50)
    name = TranslatedCharField(_("name"), max_length=200)
    description = TranslatedTextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="catalog_evaluation_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PassMark(models.Model):
    """A pass mark that differs from the program's default for one evaluation of one
    certification (R4). No row means the default applies.

    .. no_pii:
    """

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="pass_marks",
    )
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="+"
    )
    mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, validators=_PERCENT)
    # Set by an adopted standard (psychometrics, decision 0018) rather than the program file:
    # loading the file again leaves it alone instead of resetting it to the file's mark.
    from_standard_setting = models.BooleanField(_("set by standard setting"), default=False)

    class Meta:
        verbose_name = _("pass mark")
        verbose_name_plural = _("pass marks")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "evaluation"], name="catalog_passmark_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification.code} / {self.evaluation.code}: {self.mark}"


class Cohort(Translatable):
    """Candidates who register inside the window get ``subsidy_share`` of each fee paid by the
    subsidy fund, while it can cover it (R8).

    .. no_pii:
    """

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="cohorts"
    )
    code = models.SlugField(_("code"), max_length=50)
    name = TranslatedCharField(_("name"), max_length=200)
    registered_from = models.DateField(_("registered from"))
    registered_until = models.DateField(_("registered until (inclusive)"))
    subsidy_share = models.DecimalField(
        _("subsidy share"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        ordering = ["program", "registered_from"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="catalog_cohort_code_unique"),
            models.CheckConstraint(
                condition=models.Q(registered_until__gte=models.F("registered_from")),
                name="catalog_cohort_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(subsidy_share__gte=0, subsidy_share__lte=1),
                name="catalog_cohort_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalCertification(models.Model):
    """Another provider's certification the program's recognition table names (R10).

    .. no_pii:
    """

    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="external_certifications",
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    signal_guide = models.CharField(
        _("signal guide entry"),
        max_length=200,
        blank=True,
        help_text=_("The signal guide's name for it; empty when the guide does not rate it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position"]
        verbose_name = _("external certification")
        verbose_name_plural = _("external certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="catalog_externalcertification_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RecognitionRule(models.Model):
    """An evaluation of a certification that an approved claim for an external certification
    may waive. A suggestion for staff, who decide each claim (R10).

    .. no_pii:
    """

    external = models.ForeignKey(
        ExternalCertification,
        verbose_name=_("external certification"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    certification = models.ForeignKey(
        Certification, verbose_name=_("certification"), on_delete=models.CASCADE, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("recognition rule")
        verbose_name_plural = _("recognition rules")
        constraints = [
            models.UniqueConstraint(
                fields=["external", "certification", "evaluation"],
                name="catalog_recognitionrule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external.code} → {self.certification.code} / {self.evaluation.code}"
