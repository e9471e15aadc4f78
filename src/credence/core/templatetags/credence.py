"""Template helpers shared by every page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from credence.accounts.access import has_any_role, may_use_admin
from credence.accounts.models import Role
from credence.core import l10n
from credence.core.selectors import program_contact

register = template.Library()


@register.simple_tag(takes_context=True)
def program_office_email(context: template.Context) -> str:
    # A tag rather than view context, so that the pages allauth's views render show it too;
    # a page that has read its program already passes its address as ``program_contact``.
    return context.get("program_contact") or program_contact()


@register.filter
def has_role(user: Any, role: str) -> bool:
    """``{% if user|has_role:"proctor" %}``: show a role's links; views check again, with the
    same rule (the program office holds every role)."""
    return bool(getattr(user, "is_authenticated", False)) and has_any_role(user, Role(role))


@register.filter
def takes_tests(user: Any) -> bool:
    """Whether the candidate's own links (path, fees, portfolio, claims, certificates) concern
    ``user``: not for an author who is not also a candidate, who writes items instead."""
    if not getattr(user, "is_authenticated", False):
        return False
    return has_any_role(user, Role.CANDIDATE) or not has_any_role(user, Role.AUTHOR)


@register.filter
def opens_admin(user: Any) -> bool:
    """Whether to link the admin: the same test as the admin's own (accounts.access)."""
    return bool(getattr(user, "is_authenticated", False)) and may_use_admin(user)


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``{{ invoice.total|money:invoice.currency }}``: the amount in the reader's locale with
    its currency code (core.l10n.money); nothing for no amount."""
    return "" if amount is None else l10n.money(amount, currency)
