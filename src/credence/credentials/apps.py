from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credence.credentials"
    label = "credentials"
