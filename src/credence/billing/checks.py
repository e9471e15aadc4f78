"""Every invariant of the ledger, checked from the stored rows (``credence billing check``).

Each check reads the database afresh and reports problems as sentences; an empty list means
the books are sound. Nothing here trusts a cached figure: the fund's stored balance is itself
checked against its ledger account.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from credence.billing.models import (
    Account,
    CreditNote,
    Entry,
    EntryKind,
    Fund,
    Invoice,
    InvoiceLine,
    Line,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
    grouped_sums,
)
from credence.billing.policy import ZERO


def ledger_problems() -> list[str]:
    problems: list[str] = []
    for check in (
        _entries_balance,
        _entries_have_causes,
        _fund_never_negative,
        _refunds_paid_once,
        _invoices_equal_lines,
        _numbers_gapless,
        _receivables_match_invoices,
        _payments_in_ledger,
        _liabilities_not_negative,
    ):
        problems.extend(check())
    return problems


def _entries_balance() -> list[str]:
    problems: list[str] = []
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[int, int] = defaultdict(int)
    for entry_id, amount in Line.objects.values_list("entry_id", "amount"):
        totals[entry_id] += amount
        counts[entry_id] += 1
    for entry_id in sorted(totals):
        if totals[entry_id] != 0:
            problems.append(
                f"entry #{entry_id} does not balance: its lines sum to {totals[entry_id]}"
            )
        if counts[entry_id] < 2:
            problems.append(f"entry #{entry_id} has a single line")
    for pk in Entry.objects.values_list("id", flat=True):
        if pk not in counts:
            problems.append(f"entry #{pk} has no lines")
    trial = sum(totals.values(), ZERO)
    if trial != 0:
        problems.append(f"the trial balance is off by {trial}")
    return problems


def _entries_have_causes() -> list[str]:
    orphans = Entry.objects.filter(
        invoice__isnull=True,
        credit_note__isnull=True,
        payment__isnull=True,
        refund__isnull=True,
        top_up__isnull=True,
    ).values_list("id", flat=True)
    return [f"entry #{pk} is linked to no cause" for pk in orphans]


def _fund_never_negative() -> list[str]:
    problems: list[str] = []
    balance = ZERO
    lines = Line.objects.filter(account=Account.SUBSIDY_FUND).order_by("entry_id")
    for entry_id, total in grouped_sums(lines, "entry_id").items():
        balance -= total
        if balance < 0:
            problems.append(f"the subsidy fund went below zero ({balance}) at entry #{entry_id}")
    stored = sum((f.balance for f in Fund.objects.all()), ZERO)
    if stored != balance:
        problems.append(f"the fund's stored balance {stored} differs from its ledger {balance}")
    return problems


def _refunds_paid_once() -> list[str]:
    problems: list[str] = []
    paid: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    counts: dict[int | None, int] = defaultdict(int)
    for entry in Entry.objects.filter(kind=EntryKind.REFUND).prefetch_related("lines"):
        counts[entry.refund_id] += 1
        paid[entry.refund_id] += sum(
            (-ln.amount for ln in entry.lines.all() if ln.account == Account.REFUNDS_PAYABLE),
            ZERO,
        )
    for refund in Refund.objects.all():
        expected = 0 if refund.status == RefundStatus.QUEUED else 1
        if counts[refund.pk] != expected:
            problems.append(
                f"refund #{refund.pk} ({refund.status}) was paid {counts[refund.pk]} times"
            )
        elif expected and paid[refund.pk] != refund.amount:
            problems.append(
                f"refund #{refund.pk} is for {refund.amount} but {paid[refund.pk]} was paid"
            )
    attempts = list(Refund.objects.values_list("first_attempt_id", flat=True)) + list(
        Refund.objects.values_list("second_attempt_id", flat=True)
    )
    if len(attempts) != len(set(attempts)):
        problems.append("an attempt earned more than one refund")
    return problems


def _invoices_equal_lines() -> list[str]:
    problems: list[str] = []
    fees = grouped_sums(InvoiceLine.objects.all(), "invoice_id", "fee")
    subsidies = grouped_sums(InvoiceLine.objects.all(), "invoice_id", "subsidy")
    for invoice in Invoice.objects.all():
        if invoice.pk not in fees:
            problems.append(f"invoice {invoice.number} has no lines")
            continue
        fee, subsidy = fees[invoice.pk], subsidies[invoice.pk]
        if invoice.total != fee or invoice.subsidy != subsidy:
            problems.append(
                f"invoice {invoice.number}: total {invoice.total}/subsidy {invoice.subsidy} "
                f"but its lines sum to {fee}/{subsidy}"
            )
        if invoice.amount_due != invoice.total - invoice.subsidy:
            problems.append(f"invoice {invoice.number}: amount due is not fees less subsidy")
    # The ledger's view of each invoice must match the document.
    receivable: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in Line.objects.filter(
        entry__kind__in=[EntryKind.INVOICE, EntryKind.SUBSIDY], account=Account.RECEIVABLE
    ).values("entry__invoice_id", "amount"):
        receivable[line["entry__invoice_id"]] += line["amount"]
    for invoice in Invoice.objects.all():
        if receivable[invoice.pk] != invoice.amount_due:
            problems.append(
                f"invoice {invoice.number}: the ledger charges {receivable[invoice.pk]}, "
                f"the invoice {invoice.amount_due}"
            )
    credits = grouped_sums(
        Line.objects.filter(entry__credit_note__isnull=False, account=Account.RECEIVABLE),
        "entry__credit_note_id",
    )
    for note in CreditNote.objects.all():
        credited = -credits.get(note.pk, ZERO)
        if credited != note.fee - note.subsidy:
            problems.append(f"credit note {note.number}: the ledger credits {credited}")
    return problems


def _numbers_gapless() -> list[str]:
    problems: list[str] = []
    for model, prefix in ((Invoice, "INV"), (CreditNote, "CN")):
        by_year: dict[int, list[int]] = defaultdict(list)
        for year, sequence, number in model.objects.values_list("year", "sequence", "number"):
            by_year[year].append(sequence)
            if number != f"{prefix}-{year}-{sequence:05d}":
                problems.append(f"{number} does not match its year and sequence")
        for year, sequences in by_year.items():
            if sorted(sequences) != list(range(1, len(sequences) + 1)):
                problems.append(f"{prefix} numbers of {year} have gaps or duplicates")
    return problems


def _receivables_match_invoices() -> list[str]:
    """Per candidate, the ledger's receivable equals what their invoices say is open."""
    problems: list[str] = []
    ledger = grouped_sums(Line.objects.filter(account=Account.RECEIVABLE), "candidate")
    documents: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice in Invoice.objects.prefetch_related("credit_notes"):
        credited = sum((n.fee - n.subsidy for n in invoice.credit_notes.all()), ZERO)
        documents[invoice.candidate_id] += invoice.amount_due - credited
    for payment in Payment.objects.select_related("invoice"):
        documents[payment.invoice.candidate_id] -= payment.amount
    for candidate in set(ledger) | set(documents):
        if (ledger.get(candidate) or ZERO) != documents[candidate]:
            problems.append(
                f"candidate #{candidate}: receivable {ledger.get(candidate) or ZERO} in the "
                f"ledger, {documents[candidate]} by their invoices and payments"
            )
    return problems


def _payments_in_ledger() -> list[str]:
    problems: list[str] = []
    posted: dict[int, int] = defaultdict(int)
    for payment_id in Entry.objects.filter(payment__isnull=False).values_list(
        "payment_id", flat=True
    ):
        posted[payment_id] += 1
    for pk, method in Payment.objects.values_list("id", "method"):
        expected = 0 if method == PaymentMethod.CREDIT_APPLIED else 1
        if posted[pk] != expected:
            problems.append(f"payment #{pk} has {posted[pk]} journal entries")
    moved = grouped_sums(
        Payment.objects.filter(method=PaymentMethod.CREDIT_APPLIED), "invoice__candidate"
    )
    problems += [
        f"credit moved for candidate #{candidate} does not sum to zero"
        for candidate, total in moved.items()
        if total != 0
    ]
    return problems


def _liabilities_not_negative() -> list[str]:
    payable = grouped_sums(Line.objects.filter(account=Account.REFUNDS_PAYABLE), "candidate")
    return [
        f"candidate #{candidate}: more refund transferred than paid ({total})"
        for candidate, total in payable.items()
        if total > 0
    ]
