"""``credence portfolio analyze URL_OR_PATH``: the evidence report from the command line."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credence.catalog.programfile import ProgramFileError, check_program_file
from credence.portfolios.gitsafe import Limits


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Portfolio repositories: `analyze URL_OR_PATH` prints the evidence report."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze_parser = sub.add_parser("analyze", help="analyse a repository (URL or path)")
        analyze_parser.add_argument("source", help="repository URL or local path")
        analyze_parser.add_argument("--commit", help="commit, branch or tag (default: HEAD)")
        analyze_parser.add_argument(
            "--certification", help="certification code: score relevance to its topics"
        )
        analyze_parser.add_argument(
            "--identity",
            action="append",
            default=[],
            help="the candidate's e-mail or GitHub login (repeatable)",
        )
        analyze_parser.add_argument(
            "--upstream",
            help="the repository this one was forked or copied from: count the commits after it",
        )
        analyze_parser.add_argument(
            "--program", help="program file (default: the AI Engineer program)"
        )
        analyze_parser.add_argument("--json", action="store_true", help="print JSON (default)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The analysis brings detect-secrets and PyYAML (a tenth of a second of CPU); imported
        # when it runs, so that `credence portfolio ... --help` starts at once (issue 14).
        from credence.portfolios.analysis import AnalysisError, analyze

        topics = None
        if options["certification"]:
            topics = _topics(options["program"], options["certification"])
        limits = Limits(
            protocols=tuple(settings.CREDENCE_PORTFOLIO_PROTOCOLS),
            **settings.CREDENCE_PORTFOLIO_LIMITS,
        )
        try:
            report = analyze(
                options["source"],
                commit=options["commit"],
                identities=options["identity"],
                topics=topics,
                limits=limits,
                upstream=options["upstream"],
            )
        except AnalysisError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))


def _topics(program: str | None, code: str) -> list[tuple[str, str]]:
    try:
        parsed = check_program_file(program or settings.CREDENCE_DEFAULT_PROGRAM)
    except ProgramFileError as exc:
        raise CommandError(str(exc)) from exc
    names = {t.code: t.name for t in parsed.topics}
    for certification in parsed.certifications:
        if certification.code == code:
            return [(t, names.get(t, t)) for t in certification.topics]
    known = ", ".join(c.code for c in parsed.certifications)
    raise CommandError(f"no certification {code!r} in the program file (known: {known})")
