"""The standings a certificate or a credential can have, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Standing(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    # the signature verifies, but whether it was revoked or suspended is not known
    STATUS_UNKNOWN = "status_unknown", _("Status could not be checked")
    # the issuer's public key (its DID document) could not be obtained: nothing is known about
    # the signature, which is not the same as a signature that fails
    SIGNATURE_UNCHECKED = "signature_unchecked", _("Signature could not be checked")
    INVALID = "invalid", _("Not valid: it does not verify")


class StatusState(models.TextChoices):
    """One status list entry: whether its bit is set, or why that is not known."""

    SET = "set", _("set")
    CLEAR = "clear", _("not set")
    UNKNOWN = "unknown", _("could not be checked")


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("revocation")
    SUSPENSION = "suspension", _("suspension")
