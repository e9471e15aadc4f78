"""What other apps may call: the hooks of the booking life cycle (exams.services calls them
inside its own transactions) and a candidate's balance."""

from __future__ import annotations

from credence.billing.fund import refund_approve
from credence.billing.invoices import attempt_cancelled, invoice_attempt
from credence.billing.personal_data import (
    archived_invoices_purge,
    erase_user_data,
    export_user_data,
    export_user_files,
    money_open,
)
from credence.billing.selectors import candidate_balance

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
