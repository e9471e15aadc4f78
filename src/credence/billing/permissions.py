"""Money is seen by its candidate and the program office only (docs/permissions.md): no
proctor, examiner or author sees an invoice."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from credence.accounts.access import access_object, is_office
from credence.accounts.models import User
from credence.billing.models import CreditNote, Invoice, Refund


@rules.predicate
def is_invoiced(user: User | AnonymousUser, invoice: Invoice) -> bool:
    return invoice is not None and bool(user.pk) and invoice.candidate_id == user.pk


rules.add_perm("billing.read_invoice", is_invoiced | is_office)


@rules.predicate
def is_credited(user: User | AnonymousUser, note: CreditNote) -> bool:
    return note is not None and bool(user.pk) and note.invoice.candidate_id == user.pk


@rules.predicate
def is_refunded(user: User | AnonymousUser, refund: Refund) -> bool:
    return refund is not None and bool(user.pk) and refund.candidate_id == user.pk


rules.add_perm("billing.read_credit_note", is_credited | is_office)
rules.add_perm("billing.read_refund", is_refunded | is_office)
# Paying online is the candidate's own act: the office records payments, it does not make them.
rules.add_perm("billing.pay_invoice", is_invoiced)


def access_invoice(request: HttpRequest, number: str) -> Invoice:
    """Another candidate's invoice does not exist as far as this user can tell (404)."""
    return access_object(
        request, Invoice.objects.select_related("candidate"), "billing.read_invoice", number=number
    )


def access_credit_note(request: HttpRequest, number: str) -> CreditNote:
    """As an invoice: the credited candidate and the office, a 404 for anyone else."""
    notes = CreditNote.objects.select_related("invoice__candidate", "line")
    return access_object(request, notes, "billing.read_credit_note", number=number)


def access_refund(request: HttpRequest, pk: int) -> Refund:
    """As an invoice: the refunded candidate and the office, a 404 for anyone else."""
    refunds = Refund.objects.select_related("candidate", "certification")
    return access_object(request, refunds, "billing.read_refund", pk=pk)


def access_invoice_to_pay(request: HttpRequest, number: str) -> Invoice:
    """The user's own invoice; anyone else's, the office's included, is a 404."""
    return access_object(
        request, Invoice.objects.select_related("candidate"), "billing.pay_invoice", number=number
    )
