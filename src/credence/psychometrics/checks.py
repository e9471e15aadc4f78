"""System checks of the psychometrics settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_transparency_minimum(**kwargs: Any) -> list[CheckMessage]:
    """Below one, the transparency page would publish groups of any size (decision 0045)."""
    minimum = settings.CREDENCE_TRANSPARENCY_MIN_GROUP
    if isinstance(minimum, int) and minimum >= 1:
        return []
    return [
        Error(
            f"CREDENCE_TRANSPARENCY_MIN_GROUP {minimum!r} must be a whole number of at least 1: "
            "it is the smallest group of candidates the public transparency page publishes "
            "figures of.",
            hint="Leave it unset for the default of 10.",
            id="credence.psychometrics.E001",
        )
    ]
