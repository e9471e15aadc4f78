"""``credence items import FILE --format gift|moodle-xml [--certification CODE] [--dry-run]
[--json]``, ``credence items export --certification CODE --format gift|moodle-xml [--output
FILE]`` and ``credence items load [DIR]``.

A file with problems prints one ``file:line: message`` line per problem to stderr, imports
nothing and exits with status 2. ``--json`` prints the items as understood, as a JSON array
on stdout (the summary then goes to stderr, so that the output can be piped to ``jq``).

``load`` imports a program's shipped item bank: every ``<certification code>.gift`` and
``<certification code>.xml`` of DIR (default: the folder ``<program>-items`` next to the
default program file) into the bank of the certification its name gives, each file all or
nothing through the same service as ``import``. Loading twice changes nothing and says so.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credence.catalog import api as catalog_api
from credence.catalog.models import Certification
from credence.items.content import ItemFileError, Problem
from credence.items.formats import FORMATS, GIFT, MOODLE_XML, WRITERS, parse
from credence.items.selectors import SaveStatus, bank_contents, items_check
from credence.items.services import SaveResult, items_import

EXIT_PROBLEMS = 2
# a shipped bank's files: <certification code>.gift or <certification code>.xml
SHIPPED_FORMATS = {".gift": GIFT, ".xml": MOODLE_XML}


def shipped_items_dir(program_file: Path | None = None) -> Path:
    """Where a program ships its item bank: ``ai-engineer.toml`` → ``ai-engineer-items/``."""
    program = Path(program_file or settings.CREDENCE_DEFAULT_PROGRAM)
    return program.with_name(f"{program.stem}-items")


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
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
        dump = actions.add_parser(
            "export", help="Write a certification's current items (not the retired ones)."
        )
        dump.add_argument("--certification", required=True)
        dump.add_argument("--format", required=True, choices=FORMATS, dest="file_format")
        dump.add_argument("--output", type=Path, help="file to write (default: stdout)")
        ship = actions.add_parser(
            "load",
            help="Import a program's shipped item bank: DIR/<certification>.gift|.xml, "
            "each file all or nothing.",
        )
        ship.add_argument(
            "dir",
            nargs="?",
            type=Path,
            help="folder of item files (default: the default program's <program>-items folder)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "import":
            self._import(**options)
        elif action == "load":
            self._load(options["dir"] or shipped_items_dir())
        else:
            self._export(**options)

    def _certification(self, code: str) -> Certification:
        certification = _certification_or_none(code)
        if certification is None:
            raise CommandError(f"There is no certification “{code}” (is the program loaded?).")
        return certification

    def _load(self, folder: Path) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder of item files.")
        files = sorted(p for p in folder.iterdir() if p.suffix in SHIPPED_FORMATS)
        if not files:
            raise CommandError(f"{folder}: no <certification>.gift or <certification>.xml files.")
        try:
            catalog_api.program_get()
        except catalog_api.ProgramNotLoaded as exc:
            raise CommandError(str(exc)) from None
        counts: Counter[SaveStatus] = Counter()
        failed: list[Path] = []
        for path in files:
            try:
                results = self._load_file(path)
            except ItemFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(problem.format(str(path)))
                failed.append(path)
                continue
            done = Counter(result.status for result in results)
            counts.update(done)
            self.stdout.write(
                f"OK: {path}: {len(results)} items in {path.stem} ("
                + ", ".join(f"{done[s]} {s.label}" for s in SaveStatus if done[s])
                + ")"
            )
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} files had problems and imported nothing: "
                + ", ".join(str(p) for p in failed),
                returncode=EXIT_PROBLEMS,
            )
        if counts.keys() <= {SaveStatus.UNCHANGED}:
            self.stdout.write("Nothing changed: every item of these files is already in its bank.")

    def _load_file(self, path: Path) -> list[SaveResult]:
        """One file into the bank its name gives, all or nothing; ``ItemFileError`` else."""
        certification = _certification_or_none(path.stem)
        if certification is None:
            message = (
                f"“{path.stem}” is not a certification of the loaded program; an item file is "
                f"named <certification code>{path.suffix}."
            )
            raise ItemFileError([Problem(1, message)])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ItemFileError([Problem(1, exc.strerror or str(exc))]) from None
        items = parse(data, SHIPPED_FORMATS[path.suffix])
        return items_import(certification=certification, items=items, acting_user=None)

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


def _certification_or_none(code: str) -> Certification | None:
    """The loaded program's certification ``code``; None for an unknown code or the
    composite award's (which has no bank)."""
    try:
        return catalog_api.certification_model(code)
    except Certification.DoesNotExist:
        return None


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
