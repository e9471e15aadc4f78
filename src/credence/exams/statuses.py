"""Statuses of an evaluation attempt, defined once for the models and the rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NO_SHOW = "no_show", _("No-show")
    EXCUSED = "excused", _("No-show, excused")
    CANCELLED = "cancelled", _("Cancelled")


# Outcomes that use up one of the R3 attempts and start the R2 wait.
COUNTED_FAILURES = frozenset({AttemptStatus.FAILED, AttemptStatus.NO_SHOW})
