from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Crockford's base32 alphabet: no I, L, O or U, so a serial read aloud or typed is unambiguous.
_SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_serial() -> str:
    return "CRD-" + "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(10))


class Certificate(models.Model):
    """A certificate awarded by R5 (one certification) or R6 (the composite award).

    .. pii: the holder; the certificate itself is public by design (verification).
    .. pii_types: id, name
    .. pii_retirement: retained (must stay verifiable); holder details pseudonymized on erasure.
    """

    serial = models.CharField(_("serial number"), max_length=20, unique=True, default=new_serial)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    program = models.ForeignKey(
        "catalog.Program", verbose_name=_("program"), on_delete=models.PROTECT
    )
    # The certification code, or the composite's code for the composite award.
    award = models.CharField(_("award"), max_length=64)
    certification = models.ForeignKey(
        "catalog.Certification",
        verbose_name=_("certification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty for the composite award."),
    )
    rule = models.CharField(_("awarded by rule"), max_length=4)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until (inclusive)"))
    renews = models.ForeignKey(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["holder", "award", "issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "award", "issued_on"], name="one_award_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.award} ({self.holder})"
