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
    """The purposes of the issuer's status lists: ``message`` for every credential signed
    since decision 0049 closed its deviation (one entry, two bits), revocation and suspension
    for the credentials signed before (two entries, one bit each)."""

    MESSAGE = "message", _("status")
    REVOCATION = "revocation", _("revocation")
    SUSPENSION = "suspension", _("suspension")


# The message list's values and their messages, signed in every credential's status entry
# (``statusMessage``, decision 0049): a value is the certificate's standing in the list, not
# a set of flags. Revocation is final and clears a suspension, so no certificate is both,
# and 0x3 is never written: "undefined", as Bitstring Status List lets an issuer mark a value
# it may define later. A verifier reads it as a status that could not be checked.
STATUS_SIZE = 2
IN_FORCE, SUSPENDED, REVOKED, UNDEFINED = "in force", "suspended", "revoked", "undefined"
STATUS_MESSAGES = (IN_FORCE, SUSPENDED, REVOKED, UNDEFINED)  # by value, 0x0 to 0x3
# The purpose a status message stands for, so that a message entry tells a revoked
# credential from a suspended one as the two one-bit entries did.
PURPOSE_OF_MESSAGE = {REVOKED: StatusPurpose.REVOCATION, SUSPENDED: StatusPurpose.SUSPENSION}
