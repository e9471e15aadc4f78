"""Suite-wide test setup: PostgreSQL-only tests skip with a reason on SQLite, and must run
(never skip) when CREDENCE_REQUIRE_POSTGRES is set, as in the PostgreSQL pass of .ci/run;
SQLite's test database is a file; passwords are hashed at Argon2's smallest cost."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import translation


def _weight(item: pytest.Item) -> int:
    """Files marked ``long`` first, then the other browser journeys, then the rest."""
    if item.get_closest_marker("long"):
        return 0
    return 1 if item.get_closest_marker("browser") else 2


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # xdist hands out whole files (--dist loadfile) in the order the workers collected
        # them. In random order a two-minute journey handed out last ran alone while the other
        # worker sat idle; handed out first, the short files fill in beside it. The sort is
        # stable: within each weight the order stays pytest-randomly's.
        items.sort(key=_weight)
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
    with override_settings(PASSWORD_HASHERS=["tests.support.CheapArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> None:
    # LocaleMiddleware leaves the last request's language active in the thread, so a test that
    # asked for German would otherwise make the next test's mail and messages German.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # SQLite's test database is a file, as in production, not Django's in-memory default: a
    # live server shares one in-memory connection among its request threads (and the test's),
    # so two requests at once (an autosave while the proctor console polls) broke each other's
    # savepoints. With a file each thread has its own connection and SQLite's own locking.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
