from __future__ import annotations

from typing import Any

from django import template

from credence.accounts.access import is_office

register = template.Library()


@register.filter
def is_program_office(user: Any) -> bool:
    """Whether to show the billing desk link: the program office, as the desk's views require."""
    return bool(is_office(user))
