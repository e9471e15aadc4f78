"""What other apps may call: the hooks of the booking life cycle (exams.services calls them
inside its own transactions) and a candidate's balance."""

from __future__ import annotations

from credence.billing.personal_data import (
    archived_invoices_purge,
    erase_user_data,
    export_user_data,
    export_user_files,
    money_open,
)
from credence.billing.services import (
    attempt_cancelled,
    candidate_balance,
    invoice_attempt,
    refund_approve,
)

__all__ = [
    "archived_invoices_purge",
    "attempt_cancelled",
    "candidate_balance",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
    "invoice_attempt",
    "money_open",
    "refund_approve",
]
