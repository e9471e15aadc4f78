"""The one way past the audit trail's append-only triggers: a switch that is on only inside one
transaction, for the operations that must empty or replace every table (``flush`` and
``credence restore``). Application code never uses it (docs/decisions/0021)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Allow UPDATE/DELETE/TRUNCATE of audit events until the block ends.

    The block runs in a transaction; the switch is set inside it and cleared before it commits,
    so it never outlives the block, and a failure rolls back the switch with everything else.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # is_local=true: the setting ends with the transaction whatever happens
                cursor.execute("SELECT set_config('credence.audit_maintenance', 'on', true)")
            elif connection.vendor == "sqlite":
                # SQLite triggers cannot read connection state; a row only this transaction
                # sees (SQLite serializes writers) plays the switch.
                cursor.execute(
                    "INSERT INTO audit_maintenance (since) VALUES (%s)",
                    [timezone.now().isoformat()],
                )
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('credence.audit_maintenance', 'off', true)")
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM audit_maintenance")
