from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    name = "credence.items"
    label = "items"
    verbose_name = _("Item bank")
