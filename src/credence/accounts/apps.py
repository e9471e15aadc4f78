from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AccountsConfig(AppConfig):
    name = "credence.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Each app registers its object permissions in its own permissions.py; importing
        # them here means a permission exists before the first has_perm, whoever asks
        # (a view, an API handler, a management command).
        autodiscover_modules("permissions")
