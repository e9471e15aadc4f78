"""``credence billing check``: verify every invariant of the ledger; exit 1 on any breach."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credence.billing.checks import ledger_problems
from credence.billing.selectors import account_balances, fund_balance

EXIT_BREACH = 1


class Command(BaseCommand):
    # An operator's routine command: the system checks (every URL module, templates) are
    # `credence check`'s and `migrate`'s job and would cost seconds on every call.
    requires_system_checks: list[str] = []
    help = "Billing tools. check: verify that the ledger balances and keeps its invariants."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        actions.add_parser(
            "check",
            help="Verify every ledger invariant; exit 1 on any breach.",
            description="Entries balance; the fund never went below zero; no refund was paid "
            "twice; invoice totals equal their lines; numbers are gapless; receivables match "
            "the invoices and payments.",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(f"BREACH: {problem}")
        if problems:
            count = len(problems)
            raise CommandError(
                f"{count} breach{'es' if count != 1 else ''} of the ledger's invariants",
                returncode=EXIT_BREACH,
            )
        balances = ", ".join(f"{k} {v}" for k, v in account_balances().items())
        self.stdout.write(f"OK: the ledger balances; fund {fund_balance()}; {balances}")
