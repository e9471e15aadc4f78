"""Django's ``flush`` with the audit trail's maintenance switch on.

``flush`` empties every table, the audit trail included; that is what it is for (and what the
test suite does between transactional tests). Without the switch the append-only triggers
would refuse its DELETE (SQLite) or TRUNCATE (PostgreSQL). The command replaces Django's own
because the audit app's commands take precedence over ``django.core``'s."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from credence.audit.maintenance import audit_maintenance


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with audit_maintenance(options["database"]):
            super().handle(**options)
