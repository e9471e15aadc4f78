"""``credence restore FILE``: replace every row of the database by a backup's, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.audit.backup import BackupError, restore


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `credence backup` into a migrated database at the same "
        "migration state. See docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="discard the rows the database holds now (the audit trail included)",
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="also write the backup's signing key files missing from CREDENCE_KEYS_DIR",
        )
        parser.add_argument("--database", default="default")

    def handle(
        self,
        *args: Any,
        file: Path,
        replace: bool,
        with_keys: bool,
        database: str,
        **options: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(f"{file} does not exist")
        try:
            summary = restore(file, replace=replace, with_keys=with_keys, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        header = summary.header
        self.stdout.write(
            f"restored {summary.rows} rows made {header['created_at']} "
            f"(Credence {header['credence_version']}, {header['database']})"
            + (f", {header['key_files_written']} key files written" if with_keys else "")
        )
