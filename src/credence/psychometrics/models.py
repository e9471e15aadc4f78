"""Calibrations of a certification's item bank and standard-setting workshops (decisions
0017-0019). Items are keyed by **item version** id, as a string (``str(version.pk)``): a new
version is new content and may be harder or easier, so it gets its own parameters."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class CalibrationStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    # fitted, but not converged or not identified: kept to be read, never used (0042)
    UNUSABLE = "unusable", _("not usable")


class IrtModel(models.TextChoices):
    TWO_PL = "2pl", _("two-parameter logistic (2PL)")
    RASCH = "rasch", _("Rasch")


class Calibration(models.Model):
    """One calibration of a certification's knowledge-test items from the scored responses of
    its submitted sittings (concurrent calibration: every form on one θ scale).

    .. no_pii: parameters of items; persons are counted, not stored.
    """

    certification = models.ForeignKey(
        "catalog.Certification",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="calibrations",
    )
    evaluation = models.ForeignKey(
        "catalog.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT
    )
    model = models.CharField(_("model"), max_length=8, choices=IrtModel.choices)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CalibrationStatus.choices,
        default=CalibrationStatus.QUEUED,
    )
    # irt.Calibration.to_json(): the PARAMS.json document, item ids = item version ids
    parameters = models.JSONField(_("parameters"), null=True, blank=True)
    # item version ids left out because nobody, or everybody, answered them right
    dropped = models.JSONField(_("items left out"), default=list, blank=True)
    sittings = models.PositiveIntegerField(_("sittings"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The calibration whose scale this one was linked to (decision 0043): the adopted
    # standard's, else the previous one; None for the first, which sets the scale.
    reference = models.ForeignKey(
        "self",
        verbose_name=_("reference calibration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # linking.Linking.to_json() (A, B, anchors and their drift) when the link succeeded:
    # ``parameters`` are then on the reference's scale. Empty with ``linking_error`` when not.
    linking = models.JSONField(_("linking"), null=True, blank=True)
    linking_error = models.TextField(_("why it is not linked"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")

    def __str__(self) -> str:
        started = date_format(localtime(self.started_at), "DATETIME_FORMAT")
        return f"{self.certification.name} · {self.get_model_display()} · {started}"

    @property
    def item_ids(self) -> list[str]:
        return [item["id"] for item in (self.parameters or {}).get("items", [])]

    @property
    def linked(self) -> bool:
        """Whether ``parameters`` are on the reference calibration's scale."""
        return self.reference_id is not None and self.linking is not None


class ItemScreening(models.Model):
    """The screening of one item of one calibration (decision 0042): its classical statistics
    and the flags the screening rules raised, each ``{"flag": code, "reason": text}``. A
    flagged item counts for nothing (equating, standard setting) until a psychometrician
    accepts it, with a reason; unflagged items count at once.

    .. no_pii: statistics of an item; who accepted it is a staff account, as
       ``Calibration.started_by``.
    """

    calibration = models.ForeignKey(
        Calibration,
        verbose_name=_("calibration"),
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    item = models.CharField(_("item version"), max_length=32)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    point_biserial = models.FloatField(_("point-biserial"), null=True, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for accepting"), blank=True)

    class Meta:
        ordering = ["calibration", "id"]
        verbose_name = _("item screening")
        verbose_name_plural = _("item screenings")
        constraints = [
            models.UniqueConstraint(fields=["calibration", "item"], name="item_screening_unique")
        ]

    def __str__(self) -> str:
        return f"{self.calibration_id} · {self.item}"

    @property
    def excluded(self) -> bool:
        """Flagged and not (yet) accepted: the item counts for nothing."""
        return bool(self.flags) and self.accepted_at is None


class WorkshopStatus(models.TextChoices):
    OPEN = "open", _("open")
    ADOPTED = "adopted", _("adopted")


class StandardSetting(models.Model):
    """A modified-Angoff workshop for one certification's knowledge test: panellists rate the
    items of a reference form; once adopted, its cut is R4's pass mark (decision 0018).

    .. no_pii: the panellists are in ``Panellist``.
    """

    certification = models.ForeignKey(
        "catalog.Certification",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="standard_settings",
    )
    evaluation = models.ForeignKey(
        "catalog.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT
    )
    calibration = models.ForeignKey(
        Calibration,
        verbose_name=_("calibration"),
        on_delete=models.PROTECT,
        related_name="standard_settings",
    )
    name = models.CharField(_("name"), max_length=200)
    # the reference form: item version ids (strings, as in the calibration), in order
    items = models.JSONField(_("reference form"))
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=WorkshopStatus.choices, default=WorkshopStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # filled in on adoption: the record of what became the pass mark, and from what
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_mark = models.DecimalField(
        _("pass mark before"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    adopted_mark = models.DecimalField(
        _("adopted pass mark"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    theta_cut = models.FloatField(_("cut on the θ scale"), null=True, blank=True)
    # the panel's data and the recommendation as adopted (ratings, cuts, SE, agreement)
    record = models.JSONField(_("panel record"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("standard-setting workshop")
        verbose_name_plural = _("standard-setting workshops")

    def __str__(self) -> str:
        return f"{self.certification.code} · {self.name}"


class Panellist(models.Model):
    """A member of a workshop's panel: a name, and the account when they have one.

    .. pii: the panellist's name and, optionally, their account.
    .. pii_types: name
    .. pii_retirement: retained with the adopted standard it justifies (R4 audit); the name
       of a workshop never adopted is erased with the workshop.
    """

    workshop = models.ForeignKey(
        StandardSetting,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="panellists",
    )
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["workshop", "id"]
        verbose_name = _("panellist")
        verbose_name_plural = _("panellists")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="panellist_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AngoffRating(models.Model):
    """A panellist's rating of one item in one round: the probability that a minimally
    competent candidate answers it right.

    .. no_pii: the panellist is in ``Panellist``.
    """

    panellist = models.ForeignKey(
        Panellist, verbose_name=_("panellist"), on_delete=models.CASCADE, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    item = models.CharField(_("item version"), max_length=32)
    probability = models.DecimalField(
        _("probability"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        ordering = ["panellist", "round", "id"]
        verbose_name = _("Angoff rating")
        verbose_name_plural = _("Angoff ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["panellist", "round", "item"], name="angoff_rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=1),
                name="angoff_rating_is_a_probability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panellist} · {self.item} · {self.probability}"
