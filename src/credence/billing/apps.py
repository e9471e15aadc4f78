from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "credence.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from credence.billing import (
            configuration,  # noqa: F401 - registers the system check
            receivers,
        )

        receivers.connect()  # invoices, credit notes and refunds follow the exams' events
