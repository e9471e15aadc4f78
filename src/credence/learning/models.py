"""How candidates prepare (seed 000's FAQ): preparation resources and suggested portfolio
projects, both managed by staff in the admin; and each candidate's chosen electives, which
the path planner works from."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class ResourceKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    BOOTCAMP = "bootcamp", _("Partner bootcamp")
    MOOC = "mooc", _("MOOC")
    STUDY_GUIDE = "study_guide", _("Study guide")
    BLOG_POST = "blog_post", _("Technical blog post")


# Events happen somewhere on some days; the rest can be read at any time.
EVENT_KINDS = (ResourceKind.WORKSHOP, ResourceKind.BOOTCAMP)


class ResourceAccess(models.TextChoices):
    FREE = "free", _("Free")
    PAID = "paid", _("Paid")
    FREE_AND_PAID = "free_and_paid", _("Free and paid resources")


class PreparationResource(models.Model):
    """A way to prepare for one or more certifications or topics.

    .. no_pii:
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind)
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(
        _("provider"), max_length=200, blank=True, help_text=_("Who runs it, e.g. a partner.")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(
        _("free or paid"), max_length=16, choices=ResourceAccess, default=ResourceAccess.FREE
    )
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    certifications = models.ManyToManyField(
        "catalog.Certification",
        verbose_name=_("certifications"),
        blank=True,
        related_name="preparation_resources",
    )
    topics = models.ManyToManyField(
        "catalog.Topic", verbose_name=_("topics"), blank=True, related_name="preparation_resources"
    )
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "starts_on", "title"]
        verbose_name = _("preparation resource")
        verbose_name_plural = _("preparation resources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="resource_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | ~models.Q(currency=""),
                name="resource_price_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.kind in EVENT_KINDS:
            if self.starts_on is None:
                errors["starts_on"] = _("A workshop or bootcamp needs its dates.")
            if not self.place.strip():
                errors["place"] = _("A workshop or bootcamp needs its place (or 'online').")
        elif not self.url:
            errors["url"] = _("Give the link where candidates find it.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end is before the start.")
        if self.price is not None and not self.currency:
            errors["currency"] = _("A price needs its currency.")
        if self.access == ResourceAccess.FREE and self.price:
            errors["price"] = _("A free resource has no price.")
        if errors:
            raise ValidationError(errors)


class SuggestedProject(models.Model):
    """A suggested portfolio project for one certification (seed 000: "A list of suggested
    portfolio projects will be published on the AI Maker Community Blog"). Published as pages
    and as an Atom feed the blog can carry.

    .. no_pii:
    """

    certification = models.ForeignKey(
        "catalog.Certification",
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="suggested_project_rows",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    from_program_file = models.BooleanField(
        _("from the program file"),
        default=False,
        help_text=_("Seeded from the program file's suggested_projects; staff may edit it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["certification__position", "position", "id"]
        verbose_name = _("suggested portfolio project")
        verbose_name_plural = _("suggested portfolio projects")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "title"], name="suggested_project_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PathPlan(models.Model):
    """The electives a candidate plans to take; the planner orders and prices their path.

    .. pii: a candidate's study plans.
    .. pii_types: other
    .. pii_retirement: local_api (deleted with the account, issue 9)
    """

    candidate = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="path_plan",
    )
    electives = models.JSONField(_("chosen electives"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("path plan")
        verbose_name_plural = _("path plans")

    def __str__(self) -> str:
        return f"{self.candidate}: {', '.join(self.electives)}"
