"""``credence backup FILE``: the whole database as one consistent, checksummed file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.audit.backup import BackupError, backup


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = (
        "Write every row of the database to FILE (gzip, header with migration state, row "
        "counts and SHA-256). See docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="also include the credential signing key files (CREDENCE_KEYS_DIR); "
            "keep such a backup as safe as the keys themselves",
        )
        parser.add_argument("--database", default="default")

    def handle(
        self, *args: Any, file: Path, with_keys: bool, database: str, **options: Any
    ) -> None:
        try:
            summary = backup(file, with_keys=with_keys, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        header = summary.header
        self.stdout.write(
            f"{summary.path}: {summary.rows} rows in {len(header['row_counts'])} tables, "
            f"{header['key_files']} key files, sha256 {header['content_sha256']}"
        )
