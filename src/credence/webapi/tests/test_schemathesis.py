"""Property-based testing of /api/v1/ against its own OpenAPI document (schemathesis): for
every operation, as an anonymous caller, a candidate and the program office, generated
requests (valid and invalid) never cause a server error, and every answer has a declared
status, content type, headers and a body that matches its schema.

Seeded and bounded so that CI is reproducible and this takes about a minute: the world is
built once for the module, inside a transaction rolled back at its end, and each operation's
test runs in a savepoint of it (pytest-django's ``db``), so no operation sees another's
writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from credence.webapi.tests.conftest import World, build_world
from credence.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection when a request ends. Its test client switches
    that off; requests through the WSGI application must too, or the end of the first one
    closes the connection that holds the test's transaction (PostgreSQL; SQLite's in-memory
    test database ignores the close)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def callers(db: None, world: World, keep_the_test_connection: None) -> list[dict[str, str]]:
    """Headers of the anonymous caller, a candidate and the program office."""
    return [{}] + [
        {"Authorization": f"Bearer {world.tokens[name]}"} for name in ("alice", "office")
    ]


# Loaded when the module is collected: the document is built from the code, without the
# database. (schemathesis' lazy ``from_fixture`` loader does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_api_conforms_to_its_openapi_document(
    case: schemathesis.Case, callers: list[dict[str, str]]
) -> None:
    # Each generated request is sent by every caller: the anonymous one meets the 401s, the
    # candidate the 404s of others' objects, the office the staff operations.
    for headers in callers:
        case.call_and_validate(headers=headers, checks=CHECKS)
