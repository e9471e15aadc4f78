from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "credence.catalog"
    label = "catalog"

    def ready(self) -> None:
        from credence.catalog import signals

        signals.connect()
