"""Suite-wide test setup: PostgreSQL-only tests skip with a reason on SQLite, and must run
(never skip) when CREDENCE_REQUIRE_POSTGRES is set, as in the PostgreSQL pass of .ci/run."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = connection.vendor == "postgresql"
    if os.environ.get("CREDENCE_REQUIRE_POSTGRES") and not on_postgres:
        raise pytest.UsageError(
            "CREDENCE_REQUIRE_POSTGRES is set but DATABASE_URL does not point to PostgreSQL"
        )
    if on_postgres:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... "
        "(the PostgreSQL pass of .ci/run runs it)"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["credence.core.testing.CheapArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> None:
    # LocaleMiddleware leaves the last request's language active in the thread, so a test that
    # asked for German would otherwise make the next test's mail and messages German.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
