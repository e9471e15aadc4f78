"""A system check for the billing settings, so that a mistyped VAT treatment or rate stops
the server at start-up instead of failing the first booking."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

TREATMENTS = ("exempt", "included")


@register()
def billing_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
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
    return errors + _stripe_settings()


def _stripe_settings() -> list[CheckMessage]:
    """Online payment (decision 0035): a key pasted into the wrong setting, or only one of
    the two set, would leave candidates without online payment and nobody told why."""
    key = settings.CREDENCE_STRIPE_SECRET_KEY
    secret = settings.CREDENCE_STRIPE_WEBHOOK_SECRET
    found: list[CheckMessage] = []
    if key and not key.startswith(("sk_", "rk_")):
        found.append(
            Error(
                "CREDENCE_STRIPE_SECRET_KEY is not a Stripe secret key",
                hint="Use the secret key (sk_live_…, sk_test_…) or a restricted key (rk_…), "
                "never the publishable key (pk_…).",
                id="billing.E004",
            )
        )
    if secret and not secret.startswith("whsec_"):
        found.append(
            Error(
                "CREDENCE_STRIPE_WEBHOOK_SECRET is not a webhook signing secret",
                hint="Use the endpoint's signing secret (whsec_…) from Stripe's dashboard.",
                id="billing.E005",
            )
        )
    if bool(key) != bool(secret):
        found.append(
            Warning(
                "Only one of CREDENCE_STRIPE_SECRET_KEY and CREDENCE_STRIPE_WEBHOOK_SECRET is "
                "set: online payment is off",
                hint="Set both to offer online payment (docs/deployment.md), or neither.",
                id="billing.W001",
            )
        )
    return found
