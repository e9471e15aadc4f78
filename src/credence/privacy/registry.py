"""Which apps hold personal data, in the order erasure visits them.

Each listed app's ``api`` (re-exporting its ``personal_data`` module) offers
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

from types import ModuleType

from credence.accommodations import api as accommodations
from credence.accounts import api as accounts
from credence.appeals import api as appeals
from credence.audit import api as audit
from credence.billing import api as billing
from credence.challenges import api as challenges
from credence.credentials import api as credentials
from credence.exams import api as exams
from credence.items import api as items
from credence.learning import api as learning
from credence.portfolios import api as portfolios
from credence.privacy import personal_data as privacy
from credence.psychometrics import api as psychometrics
from credence.recognition import api as recognition
from credence.webapi import api as webapi

# imported, not looked up by name: the import contracts see privacy's reach (decision 0056)
SECTIONS: tuple[ModuleType, ...] = (
    appeals,
    accommodations,
    challenges,
    recognition,
    portfolios,
    exams,
    credentials,
    billing,
    learning,
    items,
    psychometrics,
    webapi,
    audit,
    privacy,
    accounts,
)
