"""The item bank: an item per certification, and its versions.

An ``ItemVersion`` is what a candidate sees. Once a version has been used in a test it never
changes again: editing the item then adds a new version, so every attempt can be scored and
reviewed against exactly the text and key it was given. A retired item is never drawn into a
new form, but it stays, with its versions, for the attempts that saw it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credence.items.content import ItemContent, ItemType


class Item(models.Model):
    """An item of one certification's bank; its ``name`` identifies it across imports.

    .. no_pii:
    """

    certification = models.ForeignKey(
        "catalog.Certification",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(
        _("retired at"),
        null=True,
        blank=True,
        help_text=_("A retired item is never drawn into a new test form."),
    )

    class Meta:
        ordering = ["certification", "name"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["certification", "name"], name="items_item_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def current(self) -> ItemVersion:
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class ItemVersion(models.Model):
    """One version of an item's content (``content.ItemContent`` as JSON), with its topics.

    .. pii: the author who saved it (``created_by``).
    .. pii_types: name
    .. pii_retirement: the link to the author is erased with the author's account; the item stays.
    """

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    type = models.CharField(_("type"), max_length=24, choices=ItemType.choices)
    content = models.JSONField(_("content"))
    topics = models.ManyToManyField(
        "catalog.Topic", verbose_name=_("topics"), blank=True, related_name="item_versions"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_used_at = models.DateTimeField(
        _("first used in a test at"),
        null=True,
        blank=True,
        help_text=_("From then on this version never changes; an edit adds a new version."),
    )
    use_count = models.PositiveIntegerField(
        _("forms that showed it"),
        default=0,
        help_text=_("How many candidates' test forms were drawn with this version."),
    )

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="items_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.name} v{self.number}"

    @property
    def item_content(self) -> ItemContent:
        return ItemContent.from_json(self.content)


class RulingKind(models.TextChoices):
    """What the authors or the office decide on a challenged item (rule C2, decision 0053)."""

    KEEP = "keep", _("Keep the item and its key")
    REKEY = "rekey", _("Rekey: another option is the right one")
    ACCEPT = "accept", _("Accept several answers")
    DROP = "drop", _("Drop the item from scoring")


class KeyRuling(models.Model):
    """The decision on a challenged item version (C2): it scores every sitting that showed
    the version, those already released (rescored at once) and those still to be released.
    One per version: the decision stands.

    .. pii: the author or office member who decided (``decided_by``).
    .. pii_types: name
    .. pii_retirement: the link to that person is erased with their account; the ruling stays.
    """

    version = models.OneToOneField(
        ItemVersion,
        verbose_name=_("item version"),
        on_delete=models.PROTECT,
        related_name="ruling",
    )
    kind = models.CharField(_("decision"), max_length=8, choices=RulingKind.choices)
    # indexes into the version's own options that earn full marks (rekey, accept)
    key = models.JSONField(_("options earning full marks"), default=list, blank=True)
    reasons = models.TextField(_("reasons"))
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("key ruling")
        verbose_name_plural = _("key rulings")

    def __str__(self) -> str:
        return f"{self.version} · {self.kind}"
