"""The ``credence`` console script: Django's management commands under the project's name.

``credence program check``, ``credence demo``, ``credence serve`` and every other command are
management commands of the project's apps, so they are also reachable as
``python -m django <command>`` with DJANGO_SETTINGS_MODULE=credence.settings.
"""

from __future__ import annotations

import os
import sys

# what a command that needs the database says when it runs before `credence migrate`
NOT_SET_UP = "the database is not set up: run `credence migrate`"


def _unmigrated() -> bool:
    """Whether the database lacks migrations of the installed apps (a fresh file, a new empty
    PostgreSQL database, or an older schema). A database that cannot be reached at all is a
    different problem, and its own error is the better message, so it counts as migrated."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    # the failed statement may have left the connection in an aborted transaction
    connection.close()
    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = sys.argv[1:] if argv is None else argv
    try:
        execute_from_command_line(["credence", *args])
    except DatabaseError:
        # every command that reads or writes models fails on a missing table; one sentence
        # instead of a traceback, for all of them (a database error on a migrated database
        # is a real fault and keeps its traceback, and so does a migration that fails)
        if args[:1] == ["migrate"] or not _unmigrated():
            raise
        sys.stderr.write(f"credence: {NOT_SET_UP}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
