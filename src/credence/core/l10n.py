"""Money and numbers as the reader's language writes them (decision 0036).

Every amount a person reads (pages, mails, PDFs, messages) goes through ``money``: two
decimals, grouped thousands and the currency's code after the number, in the active language
("1,234.50 EUR" in English, "1.234,50 EUR" in German). Templates use the ``money`` filter of
``{% load credence %}``, which calls it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats


def number(value: Decimal | float | int, decimals: int = 2) -> str:
    """A number with grouped thousands and the locale's decimal separator, rounded half up
    (Django's number_format cuts off the digits it does not show)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def money(amount: Decimal, currency: str) -> str:
    """An amount with its currency code: "150.00 EUR" / "150,00 EUR"."""
    return f"{number(amount)} {currency}"
