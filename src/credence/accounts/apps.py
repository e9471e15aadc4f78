from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "credence.accounts"
    label = "accounts"
