"""``credence program check [FILE]`` and ``credence program load [FILE]``.

Without FILE both use settings.CREDENCE_DEFAULT_PROGRAM. A file with problems prints one
``file:line: key.path: message`` line per problem to stderr and exits with status 2, so that
editors and CI can point at the lines.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credence.catalog.programfile import ProgramFileError, check_program_file
from credence.catalog.services import ProgramLoadError, program_load

if TYPE_CHECKING:
    from credence.catalog.programschema import ProgramFile

EXIT_PROBLEMS = 2


class Command(BaseCommand):
    help = "Check or load a program file (TOML)."
    # Checking a file needs nothing else of the project; the system checks (URLs, templates)
    # would make it fail for reasons that have nothing to do with the file.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check,load}")
        for name, text in (
            ("check", "Check a program file and report every problem."),
            ("load", "Check a program file, then create or update the catalog from it."),
        ):
            action = actions.add_parser(name, help=text, description=text)
            action.add_argument(
                "file", nargs="?", type=Path, help="program file (default: the AI Engineer program)"
            )

    def handle(self, *args: Any, action: str, file: Path | None, **options: Any) -> None:
        path = file or Path(settings.CREDENCE_DEFAULT_PROGRAM)
        program_file = self._check(path)
        if action == "check":
            self.stdout.write(
                f"OK: {path}: {program_file.program.name}, "
                f"{len(program_file.certifications)} certifications"
            )
            return
        try:
            result = program_load(
                program_file=program_file, source_text=path.read_text(encoding="utf-8")
            )
        except ProgramLoadError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.status}: {result.program.code} ({result.program.name})")
        for change in result.changes:
            self.stdout.write(f"  {change}")

    def _check(self, path: Path) -> ProgramFile:
        try:
            return check_program_file(path)
        except ProgramFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(str(path)))
            count = len(exc.problems)
            raise CommandError(
                f"{path}: {count} problem{'s' if count != 1 else ''}", returncode=EXIT_PROBLEMS
            ) from None
