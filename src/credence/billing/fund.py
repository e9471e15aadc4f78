"""The subsidy fund and the excellence refunds it pays (R8, R9): top-ups, the approval of a
refund when a result is released, the queue of refunds the fund cannot cover yet (paid first,
strictly in order, whenever money comes back to the fund), the set-off of a paid refund against
what the candidate still owes, the bank transfer of the rest, and the candidate's notices.

Every movement of the fund locks its row first (``ledger.fund_lock``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts.models import User
from credence.audit.api import record
from credence.billing.ledger import (
    BillingError,
    entry_post,
    fund_lock,
    fund_move,
    idempotency_claim,
    idempotency_remember,
    idempotency_result,
    program_today,
    today_in,
)
from credence.billing.mail import refund_notice_send
from credence.billing.models import (
    Account,
    EntryKind,
    Fund,
    Invoice,
    NoticeKind,
    Payment,
    PaymentMethod,
    Refund,
    RefundNotice,
    RefundStatus,
    TopUp,
)
from credence.billing.policy import (
    ZERO,
    Qualification,
    is_money,
    payable_now,
    queue_position,
    refund_qualification,
)
from credence.billing.selectors import (
    charged_attempts,
    invoice_due,
    invoice_paid,
    refund_queue,
    refund_to_transfer,
)
from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.exams.api import Attempt, AttemptStatus


@transaction.atomic
def fund_top_up(
    *,
    amount: Decimal,
    received_on: date,
    note: str = "",
    acting_user: User | None,
    idempotency_key: str,
) -> TopUp:
    """Money into the subsidy fund; it pays the refund queue at once, in order (R9)."""
    if not is_money(amount):
        raise BillingError(
            _("Enter a positive amount with at most two decimal places, such as 5000.00.")
        )
    earlier = idempotency_claim(idempotency_key, "top_up")
    if earlier is not None:
        return TopUp.objects.get(pk=idempotency_result(earlier))
    program = catalog_api.program_model()
    currency, today = program.currency, today_in(program.time_zone)
    fund = fund_lock(currency)
    top_up = TopUp.objects.create(
        amount=amount, received_on=received_on, note=note[:300], recorded_by=acting_user
    )
    entry_post(
        kind=EntryKind.TOP_UP,
        memo=note or _("Fund top-up"),
        postings=[(Account.BANK, amount, None), (Account.SUBSIDY_FUND, -amount, None)],
        currency=currency,
        acting_user=acting_user,
        booked_on=today,
        top_up=top_up,
    )
    fund_move(fund, amount)
    paid = pay_queue(fund, today=today, acting_user=acting_user)
    record(
        action="billing.fund_topped_up",
        subject=top_up,
        actor=acting_user,
        after={"amount": str(amount), "balance": str(fund.balance), "refunds_paid": paid},
    )
    idempotency_remember(idempotency_key, top_up.pk)
    return top_up


@dataclass(frozen=True)
class RefundOutcome:
    refund: Refund
    created: bool


@transaction.atomic
def refund_approve(
    *, attempt: Attempt, acting_user: User | None, idempotency_key: str | None = None
) -> RefundOutcome | None:
    """R9, called when a result is released (``exams.services.attempt_record_result``): if the
    candidate now scores over the threshold in both evaluations of the certification, grant
    the refund and pay it from the fund, or queue it when the fund cannot cover it. None when
    the candidate does not qualify. Approving the same attempts again returns the refund that
    exists: the database allows one refund per attempt."""
    if attempt.status != AttemptStatus.PASSED:
        return None
    candidate = attempt.candidate
    certification = attempt.certification.code
    program = catalog_api.program_rules()
    if idempotency_key is not None:
        earlier = idempotency_claim(idempotency_key, "refund")
        # A key seen before without a refund (the candidate did not qualify then) is asked
        # afresh: the unique links below still prevent a second refund.
        if earlier is not None and earlier.result_id is not None:
            return RefundOutcome(Refund.objects.get(pk=idempotency_result(earlier)), created=False)

    def outcome(refund: Refund, *, created: bool) -> RefundOutcome:
        if idempotency_key is not None:
            idempotency_remember(idempotency_key, refund.pk)
        return RefundOutcome(refund, created=created)

    already = frozenset(
        pk
        for pair in Refund.objects.filter(candidate=candidate).values_list(
            "first_attempt_id", "second_attempt_id"
        )
        for pk in pair
    )
    decision = refund_qualification(
        program,
        certification,
        charged_attempts(candidate, certification),
        already_refunded=already,
    )
    if isinstance(decision, Refused):
        if attempt.pk in already:
            existing = Refund.objects.filter(first_attempt=attempt).first() or (
                Refund.objects.get(second_attempt=attempt)
            )
            return outcome(existing, created=False)
        return None
    fund = fund_lock(program.currency)
    refund = _refund_create(decision, candidate=candidate, currency=program.currency)
    if refund is None:  # a concurrent approval of the same attempts won
        existing = Refund.objects.get(first_attempt_id=decision.attempt_ids[0])
        return outcome(existing, created=False)
    record(
        action="billing.refund_qualified",
        subject=refund,
        actor=acting_user,
        subject_user=candidate,
        reason="R9",
        after={"certification": certification, "amount": str(refund.amount)},
    )
    paid = pay_queue(
        fund, today=today_in(program.time_zone), acting_user=acting_user, fresh_id=refund.pk
    )
    if refund.pk not in paid:
        _notify(refund, NoticeKind.QUEUED, position=queue_position(refund_queue(), refund.pk))
    refund.refresh_from_db()
    return outcome(refund, created=True)


def _refund_create(decision: Qualification, *, candidate: User, currency: str) -> Refund | None:
    first, second = decision.attempt_ids
    certification = catalog_api.certification_model(decision.certification)
    assert certification is not None  # a refund is for a certification, never the award
    try:
        with transaction.atomic():
            return Refund.objects.create(
                candidate=candidate,
                certification=certification,
                first_attempt_id=first,
                second_attempt_id=second,
                amount=decision.amount,
                currency=currency,
                qualified_at=timezone.now(),
            )
    except IntegrityError:
        return None


def pay_queue(
    fund: Fund, *, today: date, acting_user: User | None, fresh_id: int | None = None
) -> list[int]:
    """Pay waiting refunds in order while the fund covers the first one. The fund row must be
    locked by the caller (``ledger.fund_lock``): every operation that gives money back to the
    fund calls this before its transaction ends."""
    paid = payable_now(refund_queue(), fund.balance)
    for refund in Refund.objects.filter(pk__in=paid).order_by("qualified_at", "id"):
        _refund_pay(
            refund,
            fund,
            today=today,
            acting_user=acting_user,
            kind=NoticeKind.PAID if refund.pk == fresh_id else NoticeKind.PAID_FROM_QUEUE,
        )
    return paid


def _refund_pay(
    refund: Refund, fund: Fund, *, today: date, acting_user: User | None, kind: str
) -> None:
    candidate = refund.candidate
    entry_post(
        kind=EntryKind.REFUND,
        memo=f"R9 {refund.certification.code}",
        postings=[
            (Account.SUBSIDY_FUND, refund.amount, None),
            (Account.REFUNDS_PAYABLE, -refund.amount, candidate),
        ],
        currency=refund.currency,
        acting_user=acting_user,
        booked_on=today,
        refund=refund,
    )
    fund_move(fund, -refund.amount)
    refund.status = RefundStatus.PAID
    refund.paid_at = timezone.now()
    refund.save(update_fields=["status", "paid_at"])
    # Set off against what the candidate still owes, oldest invoice first.
    remaining = refund.amount
    set_off = ZERO
    for invoice in Invoice.objects.filter(candidate=candidate).order_by("issued_on", "id"):
        owed = invoice_due(invoice) - invoice_paid(invoice)
        if owed <= 0 or remaining <= 0:
            continue
        amount = min(owed, remaining)
        payment = Payment.objects.create(
            invoice=invoice,
            method=PaymentMethod.REFUND_SET_OFF,
            amount=amount,
            received_on=today,
            refund=refund,
            recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        entry_post(
            kind=EntryKind.REFUND_SET_OFF,
            memo=invoice.number,
            postings=[
                (Account.REFUNDS_PAYABLE, amount, candidate),
                (Account.RECEIVABLE, -amount, candidate),
            ],
            currency=refund.currency,
            acting_user=acting_user,
            booked_on=today,
            payment=payment,
            refund=refund,
        )
        remaining -= amount
        set_off += amount
    record(
        action="billing.refund_paid",
        subject=refund,
        actor=acting_user,
        subject_user=candidate,
        reason="R9",
        after={"amount": str(refund.amount), "set_off": str(set_off)},
    )
    _notify(refund, kind, set_off=set_off)


@transaction.atomic
def refund_transfer(*, refund: Refund, acting_user: User | None, idempotency_key: str) -> Refund:
    """The office records the bank transfer of a paid refund to the candidate."""
    earlier = idempotency_claim(idempotency_key, "refund_transfer")
    if earlier is not None:
        return Refund.objects.get(pk=idempotency_result(earlier))
    fund = fund_lock(refund.currency)  # serialises with payments of the queue
    refund = Refund.objects.select_related("candidate").get(pk=refund.pk)
    if refund.status != RefundStatus.PAID:
        raise BillingError(_("Only a refund the fund has paid can be transferred."))
    amount = refund_to_transfer(refund)
    if amount <= 0:
        raise BillingError(
            _("Nothing is left to transfer: the refund settled fees the candidate owed.")
        )
    entry_post(
        kind=EntryKind.REFUND_TRANSFER,
        # No name or address in the journal: its rows never change, and erasure must not need to.
        memo=f"R9 {refund.certification.code} refund {refund.pk}",
        postings=[
            (Account.REFUNDS_PAYABLE, amount, refund.candidate),
            (Account.BANK, -amount, None),
        ],
        currency=refund.currency,
        acting_user=acting_user,
        booked_on=program_today(),
        refund=refund,
    )
    refund.status = RefundStatus.TRANSFERRED
    refund.transferred_at = timezone.now()
    refund.save(update_fields=["status", "transferred_at"])
    record(
        action="billing.refund_transferred",
        subject=refund,
        actor=acting_user,
        subject_user=refund.candidate,
        after={"amount": str(amount), "fund": str(fund.balance)},
    )
    _notify(refund, NoticeKind.TRANSFERRED, amount=amount)
    idempotency_remember(idempotency_key, refund.pk)
    return refund


def _notify(
    refund: Refund,
    kind: str,
    *,
    position: int | None = None,
    set_off: Decimal = ZERO,
    amount: Decimal | None = None,
) -> None:
    notice = RefundNotice.objects.create(
        refund=refund,
        kind=kind,
        amount=refund.amount if amount is None else amount,
        set_off=set_off,
        position=position,
    )
    transaction.on_commit(lambda: refund_notice_send(notice.pk))
