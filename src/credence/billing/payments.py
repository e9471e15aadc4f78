"""Payments: a bank transfer or an online payment recorded against its invoice, the settlement
of an over-payment across the candidate's invoices, and the payout of a candidate's credit.
Online payment (Stripe Checkout and its webhook) is ``online_services``, which records the
money through ``payment_record`` here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.billing.ledger import (
    BillingError,
    entry_post,
    idempotency_claim,
    idempotency_remember,
    idempotency_result,
    program_today,
)
from credence.billing.models import Account, CreditNote, EntryKind, Invoice, Payment, PaymentMethod
from credence.billing.policy import ZERO, is_money
from credence.billing.selectors import (
    candidate_balance,
    invoice_due,
    invoice_paid,
    paid_by_invoice,
)
from credence.billing.tasks import send_payment_receipt


@transaction.atomic
def payment_record(
    *,
    reference: str,
    amount: Decimal,
    received_on: date,
    bank_reference: str = "",
    acting_user: User | None,
    idempotency_key: str,
    method: str = PaymentMethod.BANK_TRANSFER,
    provider_reference: str = "",
) -> Payment:
    """A bank transfer matched to the invoice its reference names, or an online payment
    (``method``) with the provider's id of the money (``provider_reference``): the same ledger
    entries either way. Part-payments leave the rest open; an over-payment settles the
    candidate's other open invoices, oldest first, and any remainder stays as the candidate's
    credit."""
    if not is_money(amount):
        raise BillingError(
            _("Enter a positive amount with at most two decimal places, such as 150.00.")
        )
    earlier = idempotency_claim(idempotency_key, "payment")
    if earlier is not None:
        return Payment.objects.get(pk=idempotency_result(earlier))
    invoice = (
        Invoice.objects.filter(number__iexact=reference.strip()).select_related("candidate").first()
    )
    if invoice is None:
        raise BillingError(
            _("No invoice has the reference %(reference)s. Check the number on the transfer.")
            % {"reference": reference.strip() or "—"}
        )
    today = program_today()
    if received_on > today:
        raise BillingError(_("A payment cannot be received in the future."))
    candidate = invoice.candidate
    accounts_api.user_lock(candidate.pk)
    payment = Payment.objects.create(
        invoice=invoice,
        method=method,
        amount=amount,
        received_on=received_on,
        bank_reference=bank_reference[:200],
        provider_reference=provider_reference,
        recorded_by=acting_user,
    )
    source = f"{PaymentMethod(method).label} {provider_reference}" if provider_reference else ""
    entry_post(
        kind=EntryKind.PAYMENT,
        memo=f"{invoice.number} {source or bank_reference}",
        postings=[(Account.BANK, amount, None), (Account.RECEIVABLE, -amount, candidate)],
        currency=invoice.currency,
        acting_user=acting_user,
        booked_on=today,
        payment=payment,
    )
    settle_credit(candidate, today=today, acting_user=acting_user)
    record(
        action="billing.payment_recorded",
        subject=payment,
        actor=acting_user,
        subject_user=candidate,
        after={
            "invoice": invoice.number,
            "amount": str(amount),
            "on": received_on.isoformat(),
            "method": method,
            **({"reference": provider_reference} if provider_reference else {}),
        },
    )
    # mailed by the task worker; the task is a row of this transaction
    send_payment_receipt.enqueue(payment_id=payment.pk)
    idempotency_remember(idempotency_key, payment.pk)
    return payment


def settle_credit(candidate: User, *, today: date, acting_user: User | None) -> None:
    """Move what over-paid invoices hold in excess to the candidate's open invoices, oldest
    first. Only the allocation changes (two payment rows summing to zero); the candidate's
    receivable balance in the ledger is the same before and after. Runs inside the caller's
    transaction, after every operation that can change what an invoice holds in excess."""
    # At most three queries whatever the number of invoices (invoice_paid and invoice_due per
    # invoice made every booking slower with each invoice the candidate has, issue 14).
    paid = paid_by_invoice(candidate)
    if not paid:
        # Nothing paid, nothing in excess: a credit note credits what its invoice is due, never
        # more. The usual case of a booking.
        return
    invoices = list(Invoice.objects.filter(candidate=candidate).order_by("issued_on", "id"))
    excess = {inv.pk: paid.get(inv.pk, ZERO) - inv.amount_due for inv in invoices}
    notes = CreditNote.objects.filter(invoice__candidate=candidate)
    for invoice_id, fee, subsidy in notes.values_list("invoice_id", "fee", "subsidy"):
        excess[invoice_id] += fee - subsidy  # the note's candidate_share
    for source in invoices:
        for target in invoices:
            if excess[source.pk] <= 0:
                break
            if excess[target.pk] >= 0:
                continue
            amount = min(excess[source.pk], -excess[target.pk])
            note = _("Credit moved from %(source)s to %(target)s") % {
                "source": source.number,
                "target": target.number,
            }
            for invoice, signed in ((source, -amount), (target, amount)):
                Payment.objects.create(
                    invoice=invoice,
                    method=PaymentMethod.CREDIT_APPLIED,
                    amount=signed,
                    received_on=today,
                    bank_reference=note,
                    recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
                )
            excess[source.pk] -= amount
            excess[target.pk] += amount


@transaction.atomic
def credit_payout(
    *, candidate: User, amount: Decimal, acting_user: User | None, idempotency_key: str
) -> Payment:
    """Pay a candidate's credit back by bank transfer (at most the credit they hold)."""
    if not is_money(amount):
        raise BillingError(_("Enter a positive amount with at most two decimal places."))
    earlier = idempotency_claim(idempotency_key, "credit_payout")
    if earlier is not None:
        return Payment.objects.get(pk=idempotency_result(earlier))
    accounts_api.user_lock(candidate.pk)
    if amount > -candidate_balance(candidate):
        raise BillingError(_("The candidate holds less credit than that."))
    # Taken from the over-paid invoices, oldest first, so each invoice's allocation stays true.
    remaining = amount
    first: Payment | None = None
    today = program_today()
    for invoice in Invoice.objects.filter(candidate=candidate).order_by("issued_on", "id"):
        excess = invoice_paid(invoice) - invoice_due(invoice)
        if excess <= 0 or remaining <= 0:
            continue
        taken = min(excess, remaining)
        payment = Payment.objects.create(
            invoice=invoice,
            method=PaymentMethod.PAYOUT,
            amount=-taken,
            received_on=today,
            recorded_by=acting_user,
        )
        entry_post(
            kind=EntryKind.CREDIT_PAYOUT,
            memo=invoice.number,
            postings=[(Account.RECEIVABLE, taken, candidate), (Account.BANK, -taken, None)],
            currency=invoice.currency,
            acting_user=acting_user,
            booked_on=today,
            payment=payment,
        )
        first = first or payment
        remaining -= taken
    if first is None or remaining != 0:
        # Credit always sits on over-paid invoices (see settle_credit); if it does not, the
        # books need a look before money leaves, and the transaction rolls back.
        raise BillingError(_("The credit could not be matched to over-paid invoices."))
    record(
        action="billing.credit_paid_back",
        subject=first,
        actor=acting_user,
        subject_user=candidate,
        after={"amount": str(amount)},
    )
    idempotency_remember(idempotency_key, first.pk)
    return first
