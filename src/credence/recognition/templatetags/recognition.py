from __future__ import annotations

from django import template

from credence.recognition.models import SignalCategory

register = template.Library()


@register.filter
def signal_label(category: str) -> str:
    """The translated label of a signal category value ("high" → "High signal")."""
    try:
        return str(SignalCategory(category).label)
    except ValueError:
        return category
