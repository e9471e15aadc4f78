from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsychometricsConfig(AppConfig):
    name = "credence.psychometrics"
    label = "psychometrics"
    verbose_name = _("Psychometrics")
