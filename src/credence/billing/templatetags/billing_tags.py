from __future__ import annotations

from typing import Any

from django import template

from credence.accounts.models import Role

register = template.Library()


@register.filter
def is_program_office(user: Any) -> bool:
    """Whether to show the billing desk link: the staff role, as the desk's views require."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.STAFF)
