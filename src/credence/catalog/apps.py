from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "credence.catalog"
    label = "catalog"
