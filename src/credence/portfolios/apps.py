from __future__ import annotations

from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "credence.portfolios"
    verbose_name = "Portfolios"
