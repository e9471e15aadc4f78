from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccommodationsConfig(AppConfig):
    name = "credence.accommodations"
    label = "accommodations"
    verbose_name = _("Accommodations")
