from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and ``credence demo``; no models."""

    name = "credence.demo"
    label = "demo"
