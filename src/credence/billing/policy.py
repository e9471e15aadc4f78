"""Rules R7 (fees), R8 (subsidy) and R9 (excellence refund) over plain data, and the
cancellation and settlement rules that the ledger follows.

Amounts are ``Decimal`` in the program's currency, rounded to the cent (half up) only where a
share is taken; nothing here touches the database or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from credence.catalog.policy import CohortSpec, ProgramRules
from credence.core.decisions import Allowed, Decision, Refused

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def is_money(amount: Decimal) -> bool:
    """An amount a person may enter: positive, finite, at most two decimal places."""
    return amount.is_finite() and amount > 0 and amount == amount.quantize(CENT)


@dataclass(frozen=True)
class FeeQuote:
    """What one attempt costs (R7) and who pays it (R8)."""

    fee: Decimal
    subsidy: Decimal
    cohort: CohortSpec | None
    # Why the fund pays nothing although the candidate is in a cohort: "" when it pays.
    subsidy_refused: str = ""

    @property
    def candidate_share(self) -> Decimal:
        return self.fee - self.subsidy


def quote_attempt(
    program: ProgramRules, *, registered_on: date, waived: bool, fund_available: Decimal
) -> FeeQuote | None:
    """R7 and R8 for one booked attempt; ``None`` when it is waived and so not invoiced.

    ``fund_available`` is what the subsidy fund may still give: its balance less the refunds
    already waiting in the queue (decision 0008: the queue is served first). The covered share
    is drawn whole or not at all; a fund that cannot cover it leaves the candidate paying in
    full.
    """
    if waived:
        return None
    fee = to_cents(program.fee_per_evaluation)
    cohort = program.cohort_for(registered_on)
    if cohort is None:
        return FeeQuote(fee=fee, subsidy=ZERO, cohort=None)
    subsidy = to_cents(fee * cohort.subsidy_share)
    if subsidy <= 0:
        return FeeQuote(fee=fee, subsidy=ZERO, cohort=cohort)
    if fund_available < subsidy:
        return FeeQuote(
            fee=fee,
            subsidy=ZERO,
            cohort=cohort,
            subsidy_refused=_(
                "The subsidy fund cannot cover the subsidy at the moment, so the full fee is due."
            ),
        )
    return FeeQuote(fee=fee, subsidy=subsidy, cohort=cohort)


@dataclass(frozen=True)
class VatSplit:
    net: Decimal
    vat: Decimal


def vat_split(gross: Decimal, *, treatment: str, rate: Decimal) -> VatSplit:
    """The fee is a gross price. ``exempt``: no VAT; ``included``: the fee contains VAT at
    ``rate`` percent, which the invoice shows and the ledger owes to the tax office."""
    if treatment == "exempt":
        return VatSplit(net=gross, vat=ZERO)
    if treatment == "included":
        net = to_cents(gross * 100 / (100 + rate))
        return VatSplit(net=net, vat=gross - net)
    raise ValueError(f"unknown VAT treatment {treatment!r}: use 'exempt' or 'included'")


def cancellation_credit(*, held_on: date, cancelled_on: date, free_days: int) -> Decision:
    """The cancellation policy: a cancellation is free (a credit note for the whole fee) up to
    ``free_days`` days before the session; later, the fee is kept."""
    last_free_day = held_on - timedelta(days=free_days)
    if cancelled_on <= last_free_day:
        return Allowed(rule="R7", reason=_("Cancelled in time: the fee is credited in full."))
    return Refused(
        rule="R7",
        reason=_(
            "Cancellations are free until %(days)d days before the session; this one came "
            "later, so the fee is kept."
        )
        % {"days": free_days},
        never=True,
    )


class Settlement:
    """The state of an invoice, derived from what is due and what was paid on it."""

    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERPAID = "overpaid"
    CANCELLED = "cancelled"


def settlement(*, due: Decimal, paid: Decimal) -> str:
    """``due`` is what the candidate owes on the invoice after subsidy and credit notes."""
    if due <= 0:
        return Settlement.OVERPAID if paid > 0 else Settlement.CANCELLED
    if paid <= 0:
        return Settlement.OPEN
    if paid < due:
        return Settlement.PARTLY_PAID
    if paid == due:
        return Settlement.PAID
    return Settlement.OVERPAID


@dataclass(frozen=True)
class ChargedAttempt:
    """One attempt of a candidate with what the candidate was charged for it (their share
    after the subsidy and any credit note; zero when it was never invoiced)."""

    attempt_id: int
    certification: str
    evaluation: str
    passed: bool
    score: Decimal | None
    charged: Decimal
    released_on: date | None = None


@dataclass(frozen=True)
class Qualification:
    """R9: the two attempts that earn the refund and what it pays back."""

    certification: str
    attempt_ids: tuple[int, ...]
    amount: Decimal


def refund_qualification(
    program: ProgramRules,
    certification: str,
    attempts: Iterable[ChargedAttempt],
    *,
    already_refunded: frozenset[int] = frozenset(),
) -> Qualification | Refused:
    """R9: passing attempts at every evaluation of ``certification``, each scoring strictly over
    the threshold, refund what the candidate was charged for them. Attempts that already
    earned a refund never count again, so no refund is paid twice."""
    chosen: list[ChargedAttempt] = []
    threshold = program.refund_threshold
    for evaluation in program.evaluations_in_order():
        passed = [
            a
            for a in attempts
            if a.certification == certification
            and a.evaluation == evaluation.code
            and a.passed
            and a.attempt_id not in already_refunded
        ]
        if not passed:
            return Refused(
                rule="R9",
                reason=_("No refund yet: the %(evaluation)s has not been passed.")
                % {"evaluation": evaluation.name},
            )
        latest = max(passed, key=lambda a: (a.released_on or date.min, a.attempt_id))
        if latest.score is None or latest.score <= threshold:
            return Refused(
                rule="R9",
                reason=_(
                    "No refund: the excellence refund needs a score over %(threshold)s in "
                    "both evaluations."
                )
                % {"threshold": threshold},
                never=True,
            )
        chosen.append(latest)
    amount = sum((a.charged for a in chosen), ZERO)
    if amount <= 0:
        return Refused(
            rule="R9",
            reason=_("Both scores are over the threshold, but nothing was charged to refund."),
            never=True,
        )
    return Qualification(
        certification=certification,
        attempt_ids=tuple(a.attempt_id for a in chosen),
        amount=amount,
    )


@dataclass(frozen=True)
class QueuedRefund:
    refund_id: int
    qualified_at: datetime
    amount: Decimal


def queue_order(queue: Iterable[QueuedRefund]) -> list[QueuedRefund]:
    """First qualified, first paid; the id breaks ties between refunds of the same instant."""
    return sorted(queue, key=lambda r: (r.qualified_at, r.refund_id))


def payable_now(queue: Sequence[QueuedRefund], fund_balance: Decimal) -> list[int]:
    """R9: the refunds the fund pays now, in queue order. The queue is strict: when the first
    waiting refund cannot be covered, nothing behind it is paid either, so a small late refund
    never overtakes an earlier large one."""
    paid: list[int] = []
    balance = fund_balance
    for refund in queue_order(queue):
        if refund.amount > balance:
            break
        balance -= refund.amount
        paid.append(refund.refund_id)
    return paid


def transfer_due(paid_on: date, *, days: int) -> date:
    """The day by which the program office transfers what a paid refund leaves after settling
    open fees: ``days`` calendar days after the fund paid it (the office's promise, a setting)."""
    return paid_on + timedelta(days=days)


def queue_position(queue: Sequence[QueuedRefund], refund_id: int) -> int:
    """1-based place of a waiting refund in the queue."""
    for position, refund in enumerate(queue_order(queue), start=1):
        if refund.refund_id == refund_id:
            return position
    raise KeyError(refund_id)


# --- online payment (decision 0035) ---------------------------------------------------------

# Stripe's zero-decimal currencies: for these an amount goes to Stripe in whole units, for every
# other currency the program may use in cents (https://docs.stripe.com/currencies).
ZERO_DECIMAL_CURRENCIES = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
# The Checkout events that say the money has arrived: a card payment completes the session
# paid; a delayed method (SEPA Direct Debit) completes it unpaid and succeeds later.
PAYING_EVENTS = frozenset(
    {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
)


def _exponent(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount in the currency's smallest unit, exactly: 150.00 EUR is 15000. Raises
    ValueError for an amount the currency cannot hold (150.50 JPY) instead of rounding."""
    units = amount.scaleb(_exponent(currency))
    if not units.is_finite() or units != units.to_integral_value():
        raise ValueError(f"{amount} {currency} is not a whole number of the smallest unit")
    return int(units)


def from_minor_units(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-_exponent(currency)).quantize(CENT)


def pays_invoice(*, event_type: str, payment_status: str) -> bool:
    """Whether a Checkout event reports money received (its other events are ignored)."""
    return event_type in PAYING_EVENTS and payment_status == "paid"


def online_payment_check(
    *, units: int, currency: str, invoice_currency: str, outstanding: Decimal
) -> Decision:
    """Money the provider reports is recorded on the invoice only when it is what the invoice
    asks: its currency and the amount still open. Anything else (a converted currency, a
    second payment after a bank transfer settled the invoice) needs a person, so it is refused
    and the office decides."""
    if currency.upper() != invoice_currency.upper():
        return Refused(
            rule="R7",
            reason=_("Paid in %(paid)s, but the invoice is in %(invoice)s.")
            % {"paid": currency.upper(), "invoice": invoice_currency.upper()},
            never=True,
        )
    paid = from_minor_units(units, currency)
    if paid <= 0 or paid != outstanding:
        return Refused(
            rule="R7",
            reason=_(
                "Paid %(paid)s %(currency)s, but %(open)s %(currency)s is open on the invoice."
            )
            % {"paid": paid, "open": outstanding, "currency": invoice_currency.upper()},
            never=True,
        )
    return Allowed(rule="R7")
