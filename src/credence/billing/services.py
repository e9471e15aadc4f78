"""The writes of the billing app, by the module that owns each (decision 0008):

- ``ledger``: the engine every money operation posts through (balanced entries, gapless
  numbers, the fund's lock, idempotency keys, the program's date) and ``BillingError``;
- ``invoices``: the invoice of a booking and the credit note of a cancellation (R7, R8);
- ``payments``: bank transfers and online payments recorded, over-payments settled, credit
  paid back (online payment itself: ``online_services``);
- ``fund``: the subsidy fund's top-ups and the excellence refunds it pays or queues (R9);
- ``mail``: the candidate's receipts and refund notices.

Reads (what an invoice is due and paid, a candidate's balance, the refund queue) are in
``selectors``; other apps call ``billing.api``. This module gathers the operations under the
name every app gives its writes, with the error they refuse bad input with, for callers
outside these modules (scripts, other apps' test fixtures).
"""

from __future__ import annotations

from credence.billing.fund import fund_top_up, refund_approve, refund_transfer
from credence.billing.invoices import attempt_cancelled, invoice_attempt
from credence.billing.ledger import BillingError, IdempotencyConflict
from credence.billing.payments import credit_payout, payment_record

__all__ = [
    "BillingError",
    "IdempotencyConflict",
    "attempt_cancelled",
    "credit_payout",
    "fund_top_up",
    "invoice_attempt",
    "payment_record",
    "refund_approve",
    "refund_transfer",
]
