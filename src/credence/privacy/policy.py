"""When an erasure may be carried out (docs/data-protection.md, docs/decisions/0023).

Pure rules over plain facts. Each refusal names its rule:

- E1 grace: the program office carries a request out once its grace period has passed, so the
  person can still withdraw it (an erasure cannot be undone).
- E2 money owed: an unpaid invoice must be settled first (the claim needs someone to name).
- E3 money held: credit or an excellence refund not yet transferred must be paid out first,
  or the person would lose it.
- E4 ongoing evaluation: a booked attempt or a portfolio still being evaluated must be
  decided or cancelled first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from credence.core.decisions import Allowed, Decision, Refused
from credence.core.l10n import money


@dataclass(frozen=True)
class ErasureFacts:
    requested_at: datetime
    grace_days: int
    owes: Decimal
    owed_to_them: Decimal
    currency: str
    ongoing_attempts: int
    portfolios_in_evaluation: int


def grace_ends(requested_at: datetime, grace_days: int) -> datetime:
    return requested_at + timedelta(days=grace_days)


def may_erase(facts: ErasureFacts, *, now: datetime) -> Decision:
    ends = grace_ends(facts.requested_at, facts.grace_days)
    if now < ends:
        return Refused(
            rule="E1",
            reason=_("The request can still be withdrawn until its grace period ends."),
            earliest=ends.date(),
        )
    if facts.owes > 0:
        return Refused(
            rule="E2",
            reason=_("%(amount)s of fees are still unpaid; settle them first.")
            % {"amount": money(facts.owes, facts.currency)},
        )
    if facts.owed_to_them > 0:
        return Refused(
            rule="E3",
            reason=_(
                "The program still owes %(amount)s (credit or a refund); the program office "
                "must pay it out first."
            )
            % {"amount": money(facts.owed_to_them, facts.currency)},
        )
    if facts.ongoing_attempts or facts.portfolios_in_evaluation:
        return Refused(
            rule="E4",
            reason=_(
                "An evaluation is booked or still being assessed; it must be decided or "
                "cancelled first."
            ),
        )
    return Allowed()
