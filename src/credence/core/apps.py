from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces: decisions, calendar arithmetic, base templates and static files."""

    name = "credence.core"
    label = "core"
