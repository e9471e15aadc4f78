"""The billing app's part of the data-protection rights (docs/data-protection.md).

Invoices, credit notes, payments, refunds and the journal stay after erasure: the law
requires bookkeeping records for ten years (German §147 AO, §257 HGB) and the ledger must keep
balancing, so no amount and no link changes. Because an invoice names its addressee and the
PDF is drawn from the account, erasure first files each invoice as issued (a PDF, under
``CREDENCE_INVOICE_ARCHIVE_DIR``, outside the database) before the account is pseudonymized;
``credence privacy purge`` deletes those copies when the invoice retention has passed.

Free text that could carry the person's name (the bank statement text of their payments and
the memos of the journal entries that quote it) is reduced to the invoice number: the bank's
own statement remains the record of origin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models

from credence.accounts.models import User
from credence.billing.models import (
    Account,
    CreditNote,
    Entry,
    Invoice,
    InvoiceLine,
    Line,
    Payment,
    Refund,
    RefundNotice,
    RefundStatus,
    exact_sum,
)
from credence.billing.selectors import candidate_balance
from credence.core.personal_data import ErasureSummary, Export, ExportFile, label, rows


def export_user_data(user: User) -> Export:
    invoices = Invoice.objects.filter(candidate=user)
    refunds = Refund.objects.filter(candidate=user)
    return {
        label(Invoice): rows(invoices),
        label(InvoiceLine): rows(InvoiceLine.objects.filter(invoice__in=invoices)),
        label(CreditNote): rows(CreditNote.objects.filter(invoice__in=invoices)),
        label(Payment): rows(Payment.objects.filter(invoice__in=invoices)),
        label(Refund): rows(refunds),
        label(RefundNotice): rows(RefundNotice.objects.filter(refund__in=refunds)),
        label(Line): rows(Line.objects.filter(candidate=user)),
    }


def export_user_files(user: User) -> list[ExportFile]:
    """The person's money documents as they download them: invoices, credit notes and
    refund statements (decision 0034)."""
    from credence.billing.pdf import credit_note_pdf, invoice_pdf, refund_statement_pdf

    invoices = Invoice.objects.filter(candidate=user).select_related("candidate")
    notes = CreditNote.objects.filter(invoice__candidate=user).select_related(
        "invoice__candidate", "line"
    )
    refunds = Refund.objects.filter(candidate=user).select_related("candidate", "certification")
    return [
        *((f"invoices/{invoice.number}.pdf", invoice_pdf(invoice)) for invoice in invoices),
        *((f"credit-notes/{note.number}.pdf", credit_note_pdf(note)) for note in notes),
        *((f"refunds/R9-{refund.pk}.pdf", refund_statement_pdf(refund)) for refund in refunds),
    ]


def money_open(user: User) -> tuple[Decimal, Decimal]:
    """(what the person owes, what the program owes them: credit and refunds not yet
    transferred). Either blocks an erasure: money must be settled with someone we can name."""
    balance = candidate_balance(user)
    payable = -exact_sum(Line.objects.filter(account=Account.REFUNDS_PAYABLE, candidate=user))
    queued = exact_sum(Refund.objects.filter(candidate=user, status=RefundStatus.QUEUED))
    owed_to_them = max(-balance, Decimal("0.00")) + max(payable, Decimal("0.00")) + queued
    return max(balance, Decimal("0.00")), owed_to_them


def archive_dir() -> Path:
    folder = Path(settings.CREDENCE_INVOICE_ARCHIVE_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _archive(document: Invoice | CreditNote) -> None:
    """Render the invoice or credit note now (while the account still names its addressee)
    and file it once the erasure commits, so a rolled-back erasure leaves no file behind."""
    from django.db import transaction

    from credence.billing.pdf import credit_note_pdf, invoice_pdf

    content = invoice_pdf(document) if isinstance(document, Invoice) else credit_note_pdf(document)

    def write() -> None:
        path = archive_dir() / f"{document.number}.pdf"
        path.write_bytes(content)
        path.chmod(0o600)

    transaction.on_commit(write)


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    invoices = list(Invoice.objects.filter(candidate=user).select_related("candidate"))
    for invoice in invoices:
        _archive(invoice)
    notes = CreditNote.objects.filter(invoice__candidate=user).select_related(
        "invoice__candidate", "line"
    )
    for note in notes:
        _archive(note)
    payments = Payment.objects.filter(invoice__candidate=user)
    # Journal entries are never edited through the model (amounts and links are fixed); the
    # memo is a label, not part of any ledger invariant, so only it is rewritten, directly.
    journal: models.QuerySet[Entry] = models.QuerySet(model=Entry)
    for payment in payments.exclude(bank_reference="").select_related("invoice"):
        journal.filter(payment=payment).update(memo=payment.invoice.number)
    for refund in Refund.objects.filter(candidate=user).select_related("certification"):
        journal.filter(refund=refund).update(memo=f"R9 {refund.certification.code}")
    stripped = payments.exclude(bank_reference="").update(bank_reference="")
    notices, _ = RefundNotice.objects.filter(refund__candidate=user).delete()
    kept = "kept (statutory bookkeeping record; amounts unchanged)"
    return {
        label(Invoice): f"kept, {len(invoices)} filed as issued in the invoice archive",
        label(InvoiceLine): kept,
        label(CreditNote): f"kept, {len(notes)} filed as issued in the invoice archive",
        label(Payment): f"kept; bank statement text removed from {stripped}",
        label(Refund): kept,
        label(RefundNotice): f"deleted {notices}",
        label(Line): kept,
    }


def archived_invoices_purge(*, before: date, dry_run: bool) -> int:
    """Delete the archived copies of invoices and credit notes issued before ``before``
    (retention: invoices)."""
    numbers = set(Invoice.objects.filter(issued_on__lt=before).values_list("number", flat=True))
    numbers |= set(CreditNote.objects.filter(issued_on__lt=before).values_list("number", flat=True))
    folder = Path(settings.CREDENCE_INVOICE_ARCHIVE_DIR)
    if not folder.exists():
        return 0
    expired = [path for path in folder.glob("*.pdf") if path.stem in numbers]
    if not dry_run:
        for path in expired:
            path.unlink()
    return len(expired)
