"""Which apps hold personal data, in the order erasure visits them.

Each listed app's ``personal_data`` module (re-exported by its ``api`` where it has one) offers
``export_user_data(user) -> {model label: rows}`` and ``erase_user_data(user, *, now) ->
{model label: what happened}``, and may offer ``export_user_files(user) -> [(path, bytes)]``.
``privacy/tests/test_registry.py`` checks that every model annotated ``.. pii:`` which relates
to a user appears in some app's export and erasure, so a new model with personal data cannot
be forgotten.

Order matters for erasure: claims before the waivers they granted, submissions before the
certificates that rely on them are looked up, and the account itself last (everything
before it may still need the real address, e.g. to find failed-login records).
"""

from __future__ import annotations

import importlib
from types import ModuleType

SECTIONS = (
    "appeals",
    "accommodations",
    "challenges",
    "recognition",
    "portfolios",
    "exams",
    "credentials",
    "billing",
    "learning",
    "items",
    "psychometrics",
    "webapi",
    "audit",
    "privacy",
    "accounts",
)


def module(section: str) -> ModuleType:
    return importlib.import_module(f"credence.{section}.personal_data")
