"""The journeys' live server answers requests in threads; each must get its own database
connection, or two requests at once break each other's transactions (root conftest)."""

from __future__ import annotations

from django.db import connections


def test_the_live_server_shares_no_database_connection_between_its_threads(
    transactional_db, live_server
):
    # pytest-django hands the live server the test's own connection whenever the test
    # database is in-memory SQLite at the moment the (session-wide) server starts
    assert not any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all())
    assert live_server.thread.connections_override == {}
