"""The billing app's part of an attempt's life cycle: receivers of the exams app's events
(decision 0055), connected in ``BillingConfig.ready()``. Each calls one billing service,
inside the exams service's transaction."""

from __future__ import annotations

from typing import Any

from credence.accounts.models import User
from credence.billing.fund import refund_approve
from credence.billing.invoices import attempt_cancelled, invoice_attempt
from credence.catalog.policy import ProgramRules
from credence.exams import api as exams_api
from credence.exams.api import Attempt


def _invoice(
    sender: Any, *, attempt: Attempt, rules: ProgramRules, acting_user: User | None, **_: Any
) -> None:
    # R7, R8; the attempt is new, so it has no invoice yet
    invoice_attempt(attempt=attempt, acting_user=acting_user, program=rules, new=True)


def _credit(sender: Any, *, attempt: Attempt, acting_user: User | None, **_: Any) -> None:
    attempt_cancelled(attempt=attempt, acting_user=acting_user)  # the credit note


def _refund(sender: Any, *, attempt: Attempt, acting_user: User | None, **_: Any) -> None:
    refund_approve(attempt=attempt, acting_user=acting_user)  # R9


def connect() -> None:
    exams_api.events.attempt_booked.connect(_invoice, dispatch_uid="billing.invoice")
    exams_api.events.attempt_cancelled.connect(_credit, dispatch_uid="billing.credit")
    exams_api.events.result_released.connect(_refund, dispatch_uid="billing.refund")
