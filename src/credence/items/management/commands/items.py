"""``credence items import FILE --format gift|moodle-xml [--certification CODE] [--dry-run]
[--json]`` and ``credence items export --certification CODE --format gift|moodle-xml [--output
FILE]``.

A file with problems prints one ``file:line: message`` line per problem to stderr, imports
nothing and exits with status 2. ``--json`` prints the items as understood, as a JSON array
on stdout (the summary then goes to stderr, so that the output can be piped to ``jq``).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credence.catalog import api as catalog_api
from credence.catalog.models import Certification
from credence.items.content import ItemFileError
from credence.items.formats import FORMATS, WRITERS, parse
from credence.items.selectors import bank_contents
from credence.items.services import items_check, items_import

EXIT_PROBLEMS = 2


class Command(BaseCommand):
    help = "Import or export knowledge-test items (Moodle GIFT or Moodle XML)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        load = actions.add_parser(
            "import", help="Check an item file and import it, all or nothing."
        )
        load.add_argument("file", type=Path)
        load.add_argument("--format", required=True, choices=FORMATS, dest="file_format")
        load.add_argument("--certification", help="code of the certification whose bank it is")
        load.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        load.add_argument("--json", action="store_true", help="print the items as JSON")
        dump = actions.add_parser("export", help="Write a certification's current items.")
        dump.add_argument("--certification", required=True)
        dump.add_argument("--format", required=True, choices=FORMATS, dest="file_format")
        dump.add_argument("--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "import":
            self._import(**options)
        else:
            self._export(**options)

    def _certification(self, code: str) -> Certification:
        certification = catalog_api.certification_model(code)
        if certification is None:
            raise CommandError(f"There is no certification “{code}” (is the program loaded?).")
        return certification

    def _import(
        self,
        *,
        file: Path,
        file_format: str,
        certification: str | None,
        dry_run: bool,
        json: bool,
        **options: Any,
    ) -> None:
        if not certification and not dry_run:
            raise CommandError(
                "Say which bank to import into with --certification CODE, or check the file "
                "with --dry-run."
            )
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        bank = self._certification(certification) if certification else None
        try:
            items = parse(data, file_format)
            if bank is not None and dry_run:
                items_check(certification=bank, items=items)
            results = (
                items_import(certification=bank, items=items, acting_user=None)
                if bank is not None and not dry_run
                else []
            )
        except ItemFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(str(file)))
            count = len(exc.problems)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing imported",
                returncode=EXIT_PROBLEMS,
            ) from None
        report = self.stderr if json else self.stdout
        if json:
            self.stdout.write(_dumps([parsed.content.to_json() for parsed in items]))
        if dry_run or bank is None:
            report.write(f"OK: {file}: {len(items)} items, nothing imported (dry run)")
            return
        report.write(f"OK: {file}: {len(items)} items imported into {bank.code}")
        for result in results:
            report.write(f"  {result.status.label}: {result.item.name}")

    def _export(
        self, *, certification: str, file_format: str, output: Path | None, **options: Any
    ) -> None:
        text = WRITERS[file_format](bank_contents(self._certification(certification)))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
