"""``credence audit export --since DATE [--until DATE] [--format csv|jsonl]``: the audit trail
from a day on, to standard output, oldest first, streamed (docs/audit.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.audit import selectors


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from error


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Export the audit trail as CSV or JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        export = commands.add_parser("export", help="write events to standard output")
        export.add_argument("--since", required=True, help="first day (YYYY-MM-DD), inclusive")
        export.add_argument("--until", help="last day (YYYY-MM-DD), inclusive")
        export.add_argument("--action", default="", help='an action, or a family like "role."')
        export.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")

    def handle(self, *args: Any, **options: Any) -> None:
        criteria = selectors.AuditFilter(
            action=options["action"],
            since=_day(options["since"]),
            until=_day(options["until"]) if options["until"] else None,
        )
        events = selectors.events_matching(criteria)
        chunks = (
            selectors.export_csv(events)
            if options["format"] == "csv"
            else selectors.export_jsonl(events)
        )
        for chunk in chunks:
            self.stdout.write(chunk, ending="")
