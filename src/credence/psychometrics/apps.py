from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsychometricsConfig(AppConfig):
    name = "credence.psychometrics"
    label = "psychometrics"
    verbose_name = _("Psychometrics")

    def ready(self) -> None:
        from credence.exams import api as exams_api
        from credence.psychometrics import (
            api,
            checks,  # noqa: F401 (registers the system checks)
        )

        # R4 under an adopted standard: the exams app asks for a form's equated score
        exams_api.provide_equating(api.equated_score)
