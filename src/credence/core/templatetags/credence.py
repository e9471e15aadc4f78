"""Template helpers shared by every page: ``{% load credence %}``. The role checks are the
accounts app's (``{% load accounts %}``), the program office's address the catalog's
(``{% load catalog %}``): core imports no other app."""

from __future__ import annotations

from decimal import Decimal

from django import template

from credence.core import l10n

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``{{ invoice.total|money:invoice.currency }}``: the amount in the reader's locale with
    its currency code (core.l10n.money); nothing for no amount."""
    return "" if amount is None else l10n.money(amount, currency)
