"""The program's details every page shows: ``{% load catalog %}``."""

from __future__ import annotations

from django import template

from credence.catalog.selectors import program_contact_email

register = template.Library()


@register.simple_tag(takes_context=True)
def program_office_email(context: template.Context) -> str:
    # A tag rather than view context, so that the pages allauth's views render show it too;
    # a page that has read its program already passes its address as ``program_contact``.
    return context.get("program_contact") or program_contact_email()
