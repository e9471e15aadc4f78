"""``credence privacy export EMAIL FILE`` and ``credence privacy purge [--dry-run]``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = (
        "Data protection. export: write a person's data (ZIP: data.json and their files). "
        "purge: remove personal data past its retention period (CREDENCE_RETENTION)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,purge}")
        export = actions.add_parser("export", help="Write a person's data export to FILE.")
        export.add_argument("email")
        export.add_argument("file", type=Path)
        purge = actions.add_parser("purge", help="Remove data past its retention period.")
        purge.add_argument(
            "--dry-run", action="store_true", help="Only count what would be removed."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            self._export(options["email"], options["file"])
        else:
            self._purge(dry_run=options["dry_run"])

    def _export(self, email: str, file: Path) -> None:
        # here, not at the top: the services reach every app's api.py (PDFs, signing), which
        # `credence --help` must not load (issue 14), as the credentials commands do
        from credence.privacy.services import user_export

        person = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"no account has the e-mail address {email!r}")
        try:
            file.write_bytes(user_export(user=person, acting_user=None))
        except OSError as error:
            raise CommandError(f"cannot write {file}: {error.strerror}") from error
        self.stdout.write(f"OK: wrote the data of account {person.pk} to {file}")

    def _purge(self, *, dry_run: bool) -> None:
        from credence.privacy.services import data_purge  # see _export

        removed = data_purge(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for kind, count in removed.items():
            self.stdout.write(f"{kind}: {verb} {count}")
