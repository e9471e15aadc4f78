"""Role checks for the pages' links: ``{% load accounts %}``. Views check again, with the same
rules (accounts.access)."""

from __future__ import annotations

from typing import Any

from django import template

from credence.accounts.access import has_any_role, may_use_admin
from credence.accounts.models import Role

register = template.Library()


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
