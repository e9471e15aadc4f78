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

    .. pii: the holder; the certificate itself is public by design (verification). The signed
       credential carries the holder's name and a salted SHA-256 hash of their e-mail address.
    .. pii_types: id, name, email_address
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
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the current status"), blank=True)
    # The certificate's position in the issuer's status lists (the message list; revocation
    # and suspension for a credential signed before decision 0049), allocated at award time;
    # see docs/decisions/0016.
    status_index = models.PositiveIntegerField(_("status list index"), null=True, unique=True)
    # The signed Open Badges 3.0 credential, made on first use and never changed afterwards.
    credential = models.JSONField(_("signed credential"), null=True, blank=True, editable=False)
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


class SigningKey(models.Model):
    """An Ed25519 key of the issuer's DID. The private half never enters the database: it is
    a file in ``CREDENCE_KEYS_DIR`` (mode 0600, encrypted when CREDENCE_KEY_PASSPHRASE is set);
    see docs/decisions/0016. A rotated key stops signing but stays in the DID document, so
    everything it signed still verifies.

    .. no_pii:
    """

    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    public_key_multibase = models.CharField(_("public key (multibase)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    rotated_at = models.DateTimeField(_("rotated at"), null=True, blank=True)
    signing = models.BooleanField(_("signs new credentials"), default=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            # at most one key signs at a time
            models.UniqueConstraint(
                fields=["signing"], condition=models.Q(signing=True), name="one_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.key_id


class ExpiryReminder(models.Model):
    """An expiry reminder sent to a holder; one row per certificate and threshold makes the
    reminder job idempotent.

    .. pii: links a holder to a mail sent to them.
    .. pii_types: other
    .. pii_retirement: deleted with the holder's erasure.
    """

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate.serial} -{self.days_before}d"


class EvidenceChoice(models.Model):
    """What a holder approves for the public: their name, the score bands, the repository
    link (with the commit) and the evidence report itself (decision 0054). A row without a
    certificate is the holder's choice for every certificate without its own row, so it can
    be made before any certificate is issued; a certificate's own row overrides it. A
    credential signed after the choice carries only what it approved; the evidence page
    always shows exactly the current choice.

    .. pii: what a person chose to make public about their certificates.
    .. pii_types: other
    .. pii_retirement: deleted with the holder's erasure, for one that makes nothing public.
    """

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="evidence_choices",
    )
    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_choice",
        help_text=_("Empty: the holder's choice for every certificate without its own."),
    )
    show_name = models.BooleanField(_("show my name"))
    show_bands = models.BooleanField(_("show the score bands"))
    show_repository = models.BooleanField(_("show the repository and the commit"))
    show_report = models.BooleanField(_("publish the evidence report"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("evidence choice")
        verbose_name_plural = _("evidence choices")
        constraints = [
            models.UniqueConstraint(
                fields=["holder"],
                condition=models.Q(certificate__isnull=True),
                name="one_default_evidence_choice",
            ),
            # rule E2: the report names the repository and its commit
            models.CheckConstraint(
                condition=models.Q(show_report=False) | models.Q(show_repository=True),
                name="report_public_only_with_repository",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.certificate.serial if self.certificate else '*'}"
