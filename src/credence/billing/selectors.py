"""Reads of the billing app: what an invoice is due and paid, a candidate's balance and account,
the refund queue, the fund's history, and staff reports. The money operations
(``invoices``, ``payments``, ``fund``) read through these too, inside their transactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credence.accounts.models import User
from credence.billing.ledger import FUND_CODE
from credence.billing.models import (
    Account,
    Entry,
    EntryKind,
    Fund,
    Invoice,
    InvoiceLine,
    Line,
    NoticeKind,
    Payment,
    Refund,
    RefundNotice,
    RefundStatus,
    exact_sum,
    grouped_sums,
    sums_by,
)
from credence.billing.policy import (
    ZERO,
    ChargedAttempt,
    QueuedRefund,
    Settlement,
    queue_position,
    settlement,
    transfer_due,
)
from credence.catalog import api as catalog_api
from credence.core.compiled import CompiledRead
from credence.core.l10n import money
from credence.exams.api import Attempt, AttemptStatus

# Lazy: the labels are translated when shown, in the reader's language.
SETTLEMENT_LABELS = {
    Settlement.OPEN: gettext_lazy("Awaiting payment"),
    Settlement.PARTLY_PAID: gettext_lazy("Partly paid"),
    Settlement.PAID: gettext_lazy("Paid: booking confirmed"),
    Settlement.OVERPAID: gettext_lazy("Paid: booking confirmed (over-paid; the rest is credit)"),
    Settlement.CANCELLED: gettext_lazy("Cancelled by credit note"),
}


# --- money owed and paid ----------------------------------------------------------------------

# Every booking's invoice reads these: compiled once (decision 0047, issue 14).
_QUEUED = CompiledRead(
    lambda: Refund.objects.filter(status=RefundStatus.QUEUED).values_list("amount")
)
_PAID = CompiledRead(
    lambda candidate: Payment.objects.filter(invoice__candidate=candidate).values_list(
        "invoice_id", "amount"
    )
)


def invoice_due(invoice: Invoice) -> Decimal:
    """What the candidate owes on the invoice after subsidy and credit notes."""
    credited = sum((note.candidate_share for note in invoice.credit_notes.all()), ZERO)
    return invoice.amount_due - credited


def invoice_paid(invoice: Invoice) -> Decimal:
    return exact_sum(invoice.payments.all())


def paid_by_invoice(candidate: User) -> dict[int, Decimal]:
    """What was paid on each of the candidate's invoices (invoice id: sum), in one query."""
    return sums_by(_PAID.rows(candidate.pk))


def candidate_balance(candidate: User) -> Decimal:
    """What the candidate owes (positive) or holds as credit (negative), from the ledger."""
    lines = Line.objects.filter(account=Account.RECEIVABLE, candidate=candidate)
    return exact_sum(lines)


# --- the refund queue (R9) ---------------------------------------------------------------------


def refund_queue() -> list[QueuedRefund]:
    return [
        QueuedRefund(refund_id=r.pk, qualified_at=r.qualified_at, amount=r.amount)
        for r in Refund.objects.filter(status=RefundStatus.QUEUED)
    ]


def queued_refunds_total() -> Decimal:
    """What the refunds waiting in the queue add up to: the fund owes it before any subsidy."""
    # summed here, not by SQL: SQLite adds decimals as floating point (``exact_sum``)
    return sum((amount for (amount,) in _QUEUED.rows()), ZERO)


def charged_attempts(candidate: User, certification: str) -> list[ChargedAttempt]:
    """The candidate's attempts at ``certification`` with what each still costs them (the
    candidate's share of its invoice line, nothing once credited): what R9 refunds."""
    attempts = Attempt.objects.filter(
        candidate=candidate, certification__code=certification
    ).select_related("evaluation", "invoice_line", "invoice_line__credit_note")
    charged: list[ChargedAttempt] = []
    for attempt in attempts:
        line = getattr(attempt, "invoice_line", None)
        share = ZERO
        if line is not None and not hasattr(line, "credit_note"):
            share = line.candidate_share
        charged.append(
            ChargedAttempt(
                attempt_id=attempt.pk,
                certification=certification,
                evaluation=attempt.evaluation.code,
                passed=attempt.status == AttemptStatus.PASSED,
                score=attempt.score,
                charged=share,
                released_on=attempt.released_on,
            )
        )
    return charged


def refund_to_transfer(refund: Refund) -> Decimal:
    """What is still owed to the candidate on a paid refund (after set-off and transfers)."""
    lines = Line.objects.filter(entry__refund=refund, account=Account.REFUNDS_PAYABLE)
    return -exact_sum(lines)


# --- what a refund's entries say -----------------------------------------------------------------


@dataclass(frozen=True)
class RefundLedger:
    """What the ledger says happened to one excellence refund (R9): when the fund paid it,
    which open invoices it settled, what was transferred when, and what is still to be
    transferred and by when. Every figure is read from the refund's journal entries."""

    paid_on: date | None = None  # the fund's refund entry
    settled: tuple[tuple[str, Decimal], ...] = ()  # (invoice number, amount) set off, in order
    transferred: Decimal = ZERO
    transferred_on: date | None = None  # the last transfer's booking day
    to_transfer: Decimal = ZERO  # refunds payable still owed to the candidate
    transfer_by: date | None = None  # the office's promise (settings), while some is owed

    @property
    def set_off(self) -> Decimal:
        return sum((amount for _, amount in self.settled), ZERO)


def refund_ledger(refund: Refund) -> RefundLedger:
    entries = (
        Entry.objects.filter(refund=refund)
        .select_related("payment__invoice")
        .prefetch_related("lines")
        .order_by("id")
    )
    paid_on = transferred_on = None
    settled: list[tuple[str, Decimal]] = []
    transferred = owed = ZERO
    for entry in entries:
        # the candidate's side of every refund entry is the refunds-payable account
        payable = sum(
            (line.amount for line in entry.lines.all() if line.account == Account.REFUNDS_PAYABLE),
            ZERO,
        )
        owed -= payable
        if entry.kind == EntryKind.REFUND:
            paid_on = entry.booked_on
        elif entry.kind == EntryKind.REFUND_SET_OFF and entry.payment is not None:
            settled.append((entry.payment.invoice.number, payable))
        elif entry.kind == EntryKind.REFUND_TRANSFER:
            transferred += payable
            transferred_on = entry.booked_on
    transfer_by = _transfer_due(paid_on) if paid_on is not None and owed > 0 else None
    return RefundLedger(paid_on, tuple(settled), transferred, transferred_on, owed, transfer_by)


def _transfer_due(paid_on: date | None) -> date | None:
    if paid_on is None:
        return None
    return transfer_due(paid_on, days=settings.CREDENCE_REFUND_TRANSFER_DAYS)


def notice_text(notice: RefundNotice, ledger: RefundLedger | None = None) -> str:
    """What the candidate is told about a refund event, in their language. What a paid refund
    settled and what is transferred are read from the ledger (``refund_ledger``), so the
    message says only what the books hold: no fee is called owed that was paid."""
    refund = notice.refund
    currency = refund.currency
    values: dict[str, Any] = {
        "certification": refund.certification.name,
        "amount": money(notice.amount, currency),
        "position": notice.position,
    }
    if notice.kind == NoticeKind.QUEUED:
        return (
            _(
                "You scored over 90 in both evaluations of %(certification)s and qualify for "
                "an excellence refund of %(amount)s. The subsidy fund cannot pay it at the "
                "moment, so your refund waits in the queue at place %(position)s. Refunds are "
                "paid in the order they qualified as soon as the fund is topped up; we will "
                "tell you when yours is paid."
            )
            % values
        )
    ledger = ledger or refund_ledger(refund)
    if notice.kind == NoticeKind.TRANSFERRED:
        assert ledger.transferred_on is not None  # the transfer this notice tells of
        values["on"] = formats.date_format(ledger.transferred_on)
        return (
            _(
                "%(amount)s of your excellence refund for %(certification)s was transferred "
                "to your bank account on %(on)s."
            )
            % values
        )
    if notice.kind == NoticeKind.PAID:
        text = (
            _(
                "You scored over 90 in both evaluations of %(certification)s: the subsidy fund "
                "refunds the %(amount)s you were charged for them."
            )
            % values
        )
    else:
        text = (
            _(
                "The subsidy fund has been topped up and your queued excellence refund of "
                "%(amount)s for %(certification)s is now paid."
            )
            % values
        )
    settled = ledger.set_off
    rest = notice.amount - settled
    transfer_by = _transfer_due(ledger.paid_on)
    assert transfer_by is not None  # every notice from here on tells of a paid refund
    values.update(
        settled=money(settled, currency),
        rest=money(rest, currency),
        invoices=", ".join(
            f"{number} ({money(amount, currency)})" for number, amount in ledger.settled
        ),
        by=formats.date_format(transfer_by),
    )
    if not settled:
        return f"{text} " + (
            _(
                "No fee of yours was open, so all of it, %(rest)s, is transferred to your bank "
                "account by %(by)s; we will tell you when it is sent."
            )
            % values
        )
    if rest > 0:
        return f"{text} " + (
            _(
                "%(settled)s of it paid invoices that were still open when the refund was paid: "
                "%(invoices)s. The other %(rest)s is transferred to your bank account by "
                "%(by)s; we will tell you when it is sent."
            )
            % values
        )
    return f"{text} " + (
        _(
            "All of it paid invoices that were still open when the refund was paid: "
            "%(invoices)s. Nothing is left to transfer."
        )
        % values
    )


@dataclass(frozen=True)
class InvoiceView:
    invoice: Invoice
    due: Decimal
    paid: Decimal
    state: str
    label: str

    @property
    def outstanding(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def confirmed(self) -> bool:
        return self.state in (Settlement.PAID, Settlement.OVERPAID)


def invoice_view(invoice: Invoice) -> InvoiceView:
    due, paid = invoice_due(invoice), invoice_paid(invoice)
    state = settlement(due=due, paid=paid)
    return InvoiceView(invoice, due, paid, state, str(SETTLEMENT_LABELS[state]))


@dataclass(frozen=True)
class RefundView:
    refund: Refund
    position: int | None
    to_transfer: Decimal
    messages: list[tuple[datetime, str]] = field(default_factory=list)
    ledger: RefundLedger = RefundLedger()


def refund_view(refund: Refund) -> RefundView:
    position = None
    if refund.status == RefundStatus.QUEUED:
        position = queue_position(refund_queue(), refund.pk)
    ledger = refund_ledger(refund)
    messages = [(n.created_at, notice_text(n, ledger)) for n in refund.notices.all()]
    return RefundView(refund, position, ledger.to_transfer, messages, ledger)


@dataclass(frozen=True)
class CandidateAccount:
    invoices: list[InvoiceView]
    refunds: list[RefundView]
    balance: Decimal  # > 0 owed, < 0 credit
    currency: str

    @property
    def owed(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def credit(self) -> Decimal:
        return max(-self.balance, ZERO)


def candidate_account(candidate: User, currency: str) -> CandidateAccount:
    # each line's attempt: the page names it in the reader's language and date format (the
    # stored description is the invoice's record, written once in the program's words)
    lines = InvoiceLine.objects.select_related("attempt__certification", "attempt__evaluation")
    invoices = Invoice.objects.filter(candidate=candidate).prefetch_related(
        Prefetch("lines", queryset=lines), "credit_notes"
    )
    refunds = Refund.objects.filter(candidate=candidate).select_related("certification")
    return CandidateAccount(
        invoices=[invoice_view(i) for i in invoices],
        refunds=[refund_view(r) for r in refunds],
        balance=candidate_balance(candidate),
        currency=currency,
    )


def fund_balance() -> Decimal:
    fund = Fund.objects.filter(code=FUND_CODE).first()
    return fund.balance if fund else ZERO


def fund_series() -> list[tuple[datetime, Decimal]]:
    """The fund's balance after every movement, oldest first (the fund is a credit account:
    its balance is the negated sum of its lines)."""
    points: list[tuple[datetime, Decimal]] = []
    balance = ZERO
    lines = Line.objects.filter(account=Account.SUBSIDY_FUND).order_by("entry_id")
    moments = dict(lines.values_list("entry_id", "entry__booked_at"))
    for entry_id, total in grouped_sums(lines, "entry_id").items():
        balance -= total
        points.append((moments[entry_id], balance))
    return points


def account_balances() -> dict[str, Decimal]:
    balances = {account.value: ZERO for account in Account}
    balances.update(grouped_sums(Line.objects.all(), "account"))
    return balances


def refunds_report() -> tuple[list[RefundView], list[RefundView]]:
    """(paid or transferred, queued in order)."""
    refunds = Refund.objects.select_related("candidate", "certification").prefetch_related(
        "notices"
    )
    done = [refund_view(r) for r in refunds if r.status != RefundStatus.QUEUED]
    queued = sorted(
        (refund_view(r) for r in refunds if r.status == RefundStatus.QUEUED),
        key=lambda v: v.position or 0,
    )
    return done, queued


@dataclass
class RevenueRow:
    certification: str  # the code, for the CSV export
    cohort: str  # the code, or "-" outside the cohorts
    certification_name: str  # what the desk shows
    cohort_name: str
    attempts: int = 0
    cancelled: int = 0
    fees: Decimal = ZERO  # after credit notes
    subsidy: Decimal = ZERO  # drawn from the fund, after credit notes
    refunded: Decimal = ZERO  # excellence refunds granted

    @property
    def candidates_share(self) -> Decimal:
        return self.fees - self.subsidy


def revenue_report() -> list[RevenueRow]:
    """Per certification and cohort: invoiced and cancelled attempts, fees and subsidy net of
    credit notes, and the excellence refunds granted."""
    rows: dict[tuple[str, str], RevenueRow] = {}
    cohort_names = {c.code: c.name for c in catalog_api.program_rules().cohorts}

    def row(certification: Any, cohort: str) -> RevenueRow:
        key = (certification.code, cohort)
        if key not in rows:
            name = cohort_names.get(cohort, cohort)
            rows[key] = RevenueRow(certification.code, cohort, certification.name, name)
        return rows[key]

    lines = InvoiceLine.objects.select_related(
        "invoice", "attempt__certification", "credit_note"
    ).order_by("id")
    cohort_of_attempt: dict[int, str] = {}
    for line in lines:
        cohort = line.invoice.cohort_code or "-"
        cohort_of_attempt[line.attempt_id] = cohort
        r = row(line.attempt.certification, cohort)
        r.attempts += 1
        r.fees += line.fee
        r.subsidy += line.subsidy
        credit = getattr(line, "credit_note", None)
        if credit is not None:
            r.cancelled += 1
            r.fees -= credit.fee
            r.subsidy -= credit.subsidy
    for refund in Refund.objects.select_related("certification"):
        cohort = cohort_of_attempt.get(refund.first_attempt_id, "-")
        row(refund.certification, cohort).refunded += refund.amount
    return sorted(rows.values(), key=lambda r: (r.certification, r.cohort))


def candidates_in_credit() -> list[tuple[Any, Decimal]]:
    """Candidates whose receivable balance is negative: what the program owes them back
    (over-payments, credited cancellations), largest first."""
    from django.contrib.auth import get_user_model

    balances = grouped_sums(Line.objects.filter(account=Account.RECEIVABLE), "candidate")
    owed_back = {pk: -total for pk, total in balances.items() if pk is not None and total < 0}
    people = get_user_model().objects.in_bulk(list(owed_back))
    return sorted(
        ((people[pk], credit) for pk, credit in owed_back.items()),
        key=lambda pair: (-pair[1], pair[0].pk),
    )


def online_payment_events(limit: int = 50) -> list[Any]:
    """The payment provider's latest events that paid an invoice or were refused, newest
    first, for the office (a refused one needs a person: decision 0035)."""
    from credence.billing.models import ProviderEvent

    events = ProviderEvent.objects.select_related("invoice__candidate", "payment")
    return list(events.order_by("-received_at", "-id")[:limit])
