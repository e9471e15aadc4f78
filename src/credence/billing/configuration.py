"""A system check for the billing settings, so that a mistyped VAT treatment or rate stops
the server at start-up instead of failing the first booking."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

TREATMENTS = ("exempt", "included")


@register()
def billing_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if settings.CREDENCE_VAT_TREATMENT not in TREATMENTS:
        errors.append(
            Error(
                f"CREDENCE_VAT_TREATMENT is {settings.CREDENCE_VAT_TREATMENT!r}",
                hint="Use 'exempt' or 'included'.",
                id="billing.E001",
            )
        )
    try:
        rate = Decimal(str(settings.CREDENCE_VAT_RATE))
        valid_rate = rate.is_finite() and 0 <= rate < 100
    except InvalidOperation:
        valid_rate = False
    if not valid_rate:
        errors.append(
            Error(
                f"CREDENCE_VAT_RATE is {settings.CREDENCE_VAT_RATE!r}",
                hint="A percentage from 0 to below 100, such as 19.",
                id="billing.E002",
            )
        )
    if settings.CREDENCE_FREE_CANCELLATION_DAYS < 0:
        errors.append(
            Error(
                "CREDENCE_FREE_CANCELLATION_DAYS is negative",
                hint="Days before the session up to which cancelling is free, such as 7.",
                id="billing.E003",
            )
        )
    return errors
