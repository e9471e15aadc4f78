"""Invoices and credit notes (R7, R8): the invoice of a booked attempt with its subsidy from
the fund, and the credit note of a cancellation in time (the subsidy goes back to the fund,
which pays the refund queue first). Both are hooks of the booking life cycle: the exams
services call them inside their own transactions (``billing.api``)."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from credence.accounts.models import User
from credence.audit.api import record
from credence.billing.fund import pay_queue
from credence.billing.ledger import (
    entries_save,
    entry_draft,
    entry_reverse,
    fund_lock,
    fund_move,
    next_sequence,
    program_today,
    today_in,
)
from credence.billing.models import (
    Account,
    CreditNote,
    Entry,
    EntryKind,
    Invoice,
    InvoiceLine,
)
from credence.billing.payments import settle_credit
from credence.billing.policy import ZERO, cancellation_credit, quote_attempt, vat_split
from credence.billing.selectors import queued_refunds_total
from credence.catalog import api as catalog_api
from credence.catalog.policy import ProgramRules
from credence.core.decisions import Refused
from credence.exams.api import Attempt


# No savepoint: inside the booking's transaction a failure here rolls the booking back anyway,
# and the savepoint's two round trips were a tenth of a booking's (issue 14).
@transaction.atomic(savepoint=False)
def invoice_attempt(
    *,
    attempt: Attempt,
    acting_user: User | None,
    program: ProgramRules | None = None,
    new: bool = False,
) -> Invoice:
    """R7, R8: invoice a booked attempt; called by ``exams.services.attempt_book`` inside the
    booking's transaction, with the program's rules it has just read (``program``; read here
    when not given). An attempt is invoiced once: calling again returns its invoice; ``new``
    says the attempt was created in this transaction, so there is nothing to look up.

    Waived evaluations are never invoiced because they are never booked (R1-R3 refuse a
    booking of a waived evaluation), so every attempt that reaches here costs the fee."""
    if not new:
        existing = InvoiceLine.objects.filter(attempt=attempt).select_related("invoice").first()
        if existing is not None:
            return existing.invoice
    program = program or catalog_api.program_rules()
    candidate = attempt.candidate
    zone = ZoneInfo(program.time_zone)
    today = today_in(program.time_zone)
    sequence = next_sequence("INV", today.year)
    fund = fund_lock(program.currency)
    quote = quote_attempt(
        program,
        registered_on=timezone.localdate(candidate.date_joined, timezone=zone),
        waived=False,
        fund_available=fund.balance - queued_refunds_total(),
    )
    assert quote is not None  # not waived, see the docstring
    treatment = settings.CREDENCE_VAT_TREATMENT
    rate = Decimal(settings.CREDENCE_VAT_RATE) if treatment != "exempt" else ZERO
    split = vat_split(quote.fee, treatment=treatment, rate=rate)
    invoice = Invoice.objects.create(
        number=f"INV-{today.year}-{sequence:05d}",
        year=today.year,
        sequence=sequence,
        candidate=candidate,
        issued_on=today,
        currency=program.currency,
        total=quote.fee,
        subsidy=quote.subsidy,
        amount_due=quote.candidate_share,
        vat_treatment=treatment,
        vat_rate=rate,
        vat=split.vat,
        cohort_code=quote.cohort.code if quote.cohort else "",
        subsidy_note=quote.subsidy_refused,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        attempt=attempt,
        description=f"{attempt.certification.name} · {attempt.evaluation.name} · "
        f"{attempt.held_on.isoformat()}",
        fee=quote.fee,
        subsidy=quote.subsidy,
        subsidy_share=quote.cohort.subsidy_share if quote.subsidy and quote.cohort else 0,
    )
    entries = [
        entry_draft(
            kind=EntryKind.INVOICE,
            memo=invoice.number,
            postings=[
                (Account.RECEIVABLE, quote.fee, candidate),
                (Account.FEE_REVENUE, -split.net, None),
                (Account.VAT_PAYABLE, -split.vat, None),
            ],
            currency=program.currency,
            acting_user=acting_user,
            booked_on=today,
            invoice=invoice,
        )
    ]
    if quote.subsidy:
        entries.append(
            entry_draft(
                kind=EntryKind.SUBSIDY,
                memo=f"{invoice.number} {quote.cohort.code if quote.cohort else ''}",
                postings=[
                    (Account.SUBSIDY_FUND, quote.subsidy, None),
                    (Account.RECEIVABLE, -quote.subsidy, candidate),
                ],
                currency=program.currency,
                acting_user=acting_user,
                booked_on=today,
                invoice=invoice,
            )
        )
        fund_move(fund, -quote.subsidy)
    entries_save(*entries)
    settle_credit(candidate, today=today, acting_user=acting_user)
    record(
        action="billing.invoice_issued",
        subject=invoice,
        actor=acting_user,
        subject_user=candidate,
        reason="R7, R8",
        after={
            "number": invoice.number,
            "fee": str(quote.fee),
            "subsidy": str(quote.subsidy),
            "cohort": invoice.cohort_code,
        },
    )
    return invoice


@transaction.atomic
def attempt_cancelled(*, attempt: Attempt, acting_user: User | None) -> CreditNote | None:
    """The cancellation policy, called by ``exams.services.attempt_cancel``: a credit note for
    the whole fee when cancelled in time (the subsidy goes back to the fund), else the fee is
    kept. Returns the credit note, or None when there is nothing to credit."""
    line = (
        InvoiceLine.objects.filter(attempt=attempt)
        .select_related("invoice", "invoice__candidate")
        .first()
    )
    if line is None:
        return None
    if hasattr(line, "credit_note"):
        return line.credit_note
    invoice = line.invoice
    today = program_today()
    decision = cancellation_credit(
        held_on=attempt.held_on,
        cancelled_on=today,
        free_days=settings.CREDENCE_FREE_CANCELLATION_DAYS,
    )
    if isinstance(decision, Refused):
        record(
            action="billing.cancellation_fee_kept",
            subject=invoice,
            actor=acting_user,
            subject_user=invoice.candidate,
            reason=decision.reason,
        )
        return None
    sequence = next_sequence("CN", today.year)
    fund = fund_lock(invoice.currency) if line.subsidy else None
    note = CreditNote.objects.create(
        number=f"CN-{today.year}-{sequence:05d}",
        year=today.year,
        sequence=sequence,
        invoice=invoice,
        line=line,
        issued_on=today,
        fee=line.fee,
        subsidy=line.subsidy,
        reason=decision.reason,
    )
    entries = Entry.objects.filter(invoice=invoice, reverses__isnull=True)
    invoice_entry = entries.get(kind=EntryKind.INVOICE)
    entry_reverse(
        invoice_entry,
        kind=EntryKind.CREDIT_NOTE,
        memo=note.number,
        acting_user=acting_user,
        booked_on=today,
        credit_note=note,
    )
    if fund is not None:
        entry_reverse(
            entries.get(kind=EntryKind.SUBSIDY),
            kind=EntryKind.SUBSIDY_RETURN,
            memo=note.number,
            acting_user=acting_user,
            booked_on=today,
            credit_note=note,
        )
        fund_move(fund, line.subsidy)
        pay_queue(fund, today=today, acting_user=acting_user)
    settle_credit(invoice.candidate, today=today, acting_user=acting_user)
    record(
        action="billing.credit_note_issued",
        subject=note,
        actor=acting_user,
        subject_user=invoice.candidate,
        reason=decision.reason,
        after={"number": note.number, "invoice": invoice.number, "fee": str(note.fee)},
    )
    return note
