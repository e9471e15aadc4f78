from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebapiConfig(AppConfig):
    """The JSON API under /api/v1/ (docs/api.md): the NinjaAPI, its authentication, problem
    details and personal API tokens. The routers live next to the apps they expose
    (``credence/<app>/api_v1.py``)."""

    name = "credence.webapi"
    verbose_name = _("HTTP API")
