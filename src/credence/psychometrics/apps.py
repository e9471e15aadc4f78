from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsychometricsConfig(AppConfig):
    name = "credence.psychometrics"
    label = "psychometrics"
    verbose_name = _("Psychometrics")

    def ready(self) -> None:
        from credence.psychometrics import checks  # noqa: F401 (registers the system checks)
