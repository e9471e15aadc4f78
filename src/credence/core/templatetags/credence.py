"""Template helpers shared by every page."""

from __future__ import annotations

from django import template

from credence.core.selectors import program_contact

register = template.Library()


@register.simple_tag
def program_office_email() -> str:
    # A tag rather than view context, so that the pages allauth's views render show it too.
    return program_contact()
