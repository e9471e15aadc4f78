"""``credence signalguide load [--overwrite]``: the signal guide (seed 001) into the database.

The data file ``recognition/data/signal_guide.json`` was built once from the seed by
``tools/build_signal_guide.py``. Existing rows are kept (staff may have edited
them in the admin) unless ``--overwrite``.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Load the signal guide (seed 001) into the database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = actions.add_parser("load", help="create the guide's entries and pages")
        load.add_argument("--file", type=Path, default=None, help="another guide data file")
        load.add_argument(
            "--overwrite", action="store_true", help="replace staff edits with the file's text"
        )

    def handle(
        self, *args: Any, action: str, file: Path | None, overwrite: bool, **options: Any
    ) -> None:
        # imported when run, not for `credence signalguide --help` (half a second, issue 14)
        from credence.recognition.services import signal_guide_load

        result = signal_guide_load(path=file, overwrite=overwrite)
        self.stdout.write(
            f"Signal guide: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
