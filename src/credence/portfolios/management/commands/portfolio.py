"""``credence portfolio analyze URL_OR_PATH``: the evidence report from the command line.

The certification's topics (``--certification``) and the bot patterns come from the program
loaded in the catalog, as for a submission; ``--program FILE`` takes them from that file
instead, for a repository looked at before (or without) loading it.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from credence.catalog import api as catalog_api
from credence.portfolios.gitsafe import Limits
from credence.portfolios.history import DEFAULT_BOTS


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
            "--program", help="program file to take topics and bots from (default: the loaded one)"
        )
        analyze_parser.add_argument("--json", action="store_true", help="print JSON (default)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The analysis brings detect-secrets and PyYAML (a tenth of a second of CPU); imported
        # when it runs, so that `credence portfolio ... --help` starts at once (issue 14).
        from credence.portfolios.analysis import AnalysisError, analyze

        rules = _rules(options["program"])
        topics = None
        if options["certification"]:
            topics = _topics(rules, options["certification"])
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
                bots=(*DEFAULT_BOTS, *(rules.portfolio_bots if rules else ())),
            )
        except AnalysisError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))


def _rules(program: str | None) -> catalog_api.ProgramRules | None:
    """The rules of ``program`` (a file) if named, else of the loaded program; None when no
    single program is loaded, or there is no catalog (no database migrated): a repository
    may be looked at without one."""
    if program:
        try:
            return catalog_api.rules_from_file(program)
        except catalog_api.ProgramFileError as exc:
            raise CommandError(str(exc)) from exc
    try:
        return catalog_api.program_rules()
    except (catalog_api.ProgramNotLoaded, DatabaseError):
        return None


def _topics(rules: catalog_api.ProgramRules | None, code: str) -> list[tuple[str, str]]:
    if rules is None:
        raise CommandError(
            "No single program is loaded in the catalog; load one (`credence program load "
            "FILE`) or name its file with --program to read the certification's topics from."
        )
    try:
        return [(t.code, t.name) for t in rules.topics_of(code)]
    except KeyError:
        known = ", ".join(c.code for c in rules.certifications)
        raise CommandError(
            f"no certification {code!r} in the program {rules.code!r} (known: {known})"
        ) from None
