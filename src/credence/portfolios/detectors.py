"""The detect-secrets detectors Credence uses (see ``hygiene``): the regular-expression ones."""

from __future__ import annotations

from functools import cache

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.plugins.base import RegexBasedDetector

# Public IPs are no secrets; Basic-Auth URLs are found by ``hygiene``'s own rule, which leaves
# placeholders (``user:password@``) and documentation hosts alone.
_LEFT_OUT = frozenset({"Public IP (ipv4)", "Basic Auth Credentials"})


@cache
def _classes() -> tuple[type[RegexBasedDetector], ...]:
    plugins: dict[str, type] = get_mapping_from_secret_type_to_class()
    return tuple(
        cls
        for secret_type, cls in sorted(plugins.items())
        if issubclass(cls, RegexBasedDetector) and secret_type not in _LEFT_OUT
    )


def regex_detectors() -> list[RegexBasedDetector]:
    return [cls() for cls in _classes()]
