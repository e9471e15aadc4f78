"""Reads of the billing app: a candidate's account, the fund's history, and staff reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credence.billing.models import (
    Account,
    Fund,
    Invoice,
    InvoiceLine,
    Line,
    NoticeKind,
    Refund,
    RefundNotice,
    RefundStatus,
    grouped_sums,
)
from credence.billing.policy import ZERO, Settlement, queue_position, settlement
from credence.billing.services import (
    FUND_CODE,
    _queue,
    candidate_balance,
    invoice_due,
    invoice_paid,
    refund_to_transfer,
)
from credence.core.l10n import money

# Lazy: the labels are translated when shown, in the reader's language.
SETTLEMENT_LABELS = {
    Settlement.OPEN: gettext_lazy("Awaiting payment"),
    Settlement.PARTLY_PAID: gettext_lazy("Partly paid"),
    Settlement.PAID: gettext_lazy("Paid: booking confirmed"),
    Settlement.OVERPAID: gettext_lazy("Paid: booking confirmed (over-paid; the rest is credit)"),
    Settlement.CANCELLED: gettext_lazy("Cancelled by credit note"),
}


def notice_text(notice: RefundNotice) -> str:
    """What the candidate is told about a refund event, in their language."""
    refund = notice.refund
    values = {
        "certification": refund.certification.name,
        "amount": money(notice.amount, refund.currency),
        "set_off": money(notice.set_off, refund.currency),
        "rest": money(notice.amount - notice.set_off, refund.currency),
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
    if notice.kind == NoticeKind.TRANSFERRED:
        return (
            _("%(amount)s of your excellence refund for %(certification)s has been transferred.")
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
    if notice.set_off:
        text += " " + (
            _("%(set_off)s of it settles fees you still owed; %(rest)s will be transferred to you.")
            % values
        )
    else:
        text += " " + _("It will be transferred to your bank account.")
    return text


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


def refund_view(refund: Refund) -> RefundView:
    position = None
    if refund.status == RefundStatus.QUEUED:
        position = queue_position(_queue(), refund.pk)
    to_transfer = refund_to_transfer(refund) if refund.status == RefundStatus.PAID else ZERO
    messages = [(n.created_at, notice_text(n)) for n in refund.notices.all()]
    return RefundView(refund, position, to_transfer, messages)


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


def candidate_account(candidate: Any, currency: str) -> CandidateAccount:
    invoices = Invoice.objects.filter(candidate=candidate).prefetch_related("lines", "credit_notes")
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
    certification: str
    cohort: str
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

    def row(certification: str, cohort: str) -> RevenueRow:
        key = (certification, cohort)
        if key not in rows:
            rows[key] = RevenueRow(certification, cohort)
        return rows[key]

    lines = InvoiceLine.objects.select_related(
        "invoice", "attempt__certification", "credit_note"
    ).order_by("id")
    cohort_of_attempt: dict[int, str] = {}
    for line in lines:
        cohort = line.invoice.cohort_code or "-"
        cohort_of_attempt[line.attempt_id] = cohort
        r = row(line.attempt.certification.code, cohort)
        r.attempts += 1
        r.fees += line.fee
        r.subsidy += line.subsidy
        credit = getattr(line, "credit_note", None)
        if credit is not None:
            r.cancelled += 1
            r.fees -= credit.fee
            r.subsidy -= credit.subsidy
    refunded: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for refund in Refund.objects.select_related("certification"):
        cohort = cohort_of_attempt.get(refund.first_attempt_id, "-")
        refunded[(refund.certification.code, cohort)] += refund.amount
    for (certification, cohort), amount in refunded.items():
        row(certification, cohort).refunded += amount
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
