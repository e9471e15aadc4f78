from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    ANALYSING = "analysing", _("Evidence report being prepared")
    ANALYSED = "analysed", _("Evidence report ready")
    ANALYSIS_FAILED = "analysis_failed", _("Evidence report failed")
    RELEASED = "released", _("Result released")
