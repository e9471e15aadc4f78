from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.utils.module_loading import autodiscover_modules


class AccountsConfig(AppConfig):
    name = "credence.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Each app registers its object permissions in its own permissions.py; importing
        # them here means a permission exists before the first has_perm, whoever asks
        # (a view, an API handler, a management command).
        autodiscover_modules("permissions")
        # the access layer imports the models, which exist only once the apps are ready
        from credence.accounts.access import forget_roles

        m2m_changed.connect(
            forget_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="accounts-forget-roles",
        )
