"""HTTP API for a candidate's fees (R7-R9): their own invoices with what is paid and owed."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from credence.billing import selectors
from credence.billing.models import Invoice
from credence.billing.permissions import access_invoice
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["billing"])


class InvoiceOut(Schema):
    """Money as decimal strings in the invoice's currency, never floats."""

    number: str
    issued_on: date
    currency: str
    fees: str
    subsidy: str
    amount_due: str  # fees less subsidy (R8), before credit notes
    due: str  # what is owed on it now, credit notes set off
    paid: str
    outstanding: str
    state: str


def _invoice_out(invoice: Invoice) -> InvoiceOut:
    view = selectors.invoice_view(invoice)
    return InvoiceOut(
        number=invoice.number,
        issued_on=invoice.issued_on,
        currency=invoice.currency,
        fees=str(invoice.total),
        subsidy=str(invoice.subsidy),
        amount_due=str(invoice.amount_due),
        due=str(view.due),
        paid=str(view.paid),
        outstanding=str(view.outstanding),
        state=str(view.state),
    )


@router.get("/invoices", response={200: list[InvoiceOut], **errors(401, 403, 422)}, auth=signed_in)
@paginate(Page)
def invoices(request: HttpRequest) -> list[InvoiceOut]:
    """The caller's own invoices, latest first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [
        _invoice_out(i)
        for i in Invoice.objects.filter(candidate=request.user).prefetch_related(
            "lines", "credit_notes"
        )
    ]


@router.get(
    "/invoices/{number}", response={200: InvoiceOut, **errors(401, 403, 404)}, auth=signed_in
)
def invoice(request: HttpRequest, number: str) -> InvoiceOut:
    """One invoice; another candidate's is answered 404, as if it did not exist."""
    return _invoice_out(access_invoice(request, number))
