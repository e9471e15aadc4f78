from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces: decisions, calendar arithmetic, base templates and static files."""

    name = "credence.core"
    label = "core"

    def ready(self) -> None:
        from credence.core import checks  # noqa: F401 (registers the system checks)
