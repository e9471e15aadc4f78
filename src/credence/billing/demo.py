"""Billing for the demo: a funded subsidy fund before the demo candidates book, and their
invoices paid by bank transfer as they book (before their results, as a real candidate pays
before the session), all through the real services, so that ``credence billing check`` holds
on the demo data and an excellence refund is transferred, not set off against fees paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from credence.billing.fund import fund_top_up
from credence.billing.ledger import program_today
from credence.billing.models import Invoice, InvoiceLine
from credence.billing.payments import payment_record
from credence.billing.selectors import invoice_view

DEMO_FUNDING = Decimal("20000.00")


def fund_for_demo(*, staff: Any, today: date) -> None:
    fund_top_up(
        amount=DEMO_FUNDING,
        received_on=today,
        note="Demo: initial funding of the subsidy fund",
        acting_user=staff,
        idempotency_key="demo-fund-initial",
    )


def pay_booking(*, attempt: Any, staff: Any) -> None:
    """The candidate pays the booking's invoice by bank transfer on the day it is issued."""
    line = InvoiceLine.objects.select_related("invoice").filter(attempt=attempt).first()
    if line is not None:
        _pay(line.invoice, staff=staff, today=program_today())


def _pay(invoice: Invoice, *, staff: Any, today: date) -> None:
    outstanding = invoice_view(invoice).outstanding
    if outstanding > 0:
        payment_record(
            reference=invoice.number,
            amount=outstanding,
            received_on=today,
            bank_reference=f"Demo transfer {invoice.number}",
            acting_user=staff,
            idempotency_key=f"demo-pay-{invoice.number}",
        )


def pay_demo_invoices(*, staff: Any, today: date, domain: str) -> None:
    """Every demo candidate has paid what they owe, as a bank transfer quoting the invoice."""
    demo_invoices = Invoice.objects.filter(candidate__email__endswith=f"@{domain}")
    for invoice in demo_invoices.order_by("id"):
        _pay(invoice, staff=staff, today=today)
