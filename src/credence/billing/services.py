"""Writes of the billing app. Every money operation owns its transaction, posts balanced
journal entries linked to their cause, writes the audit event, and is safe to retry: staff
operations take an idempotency key, and the booking hooks are keyed by the attempt itself.

Lock order, everywhere: the candidate's row (taken by the exams services or here), then the
document counter, then the fund. The fund row is the single lock that serialises every
movement of the subsidy fund, so its balance is never read stale and never goes below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credence.accounts import api as accounts_api
from credence.accounts.models import User
from credence.audit.api import record
from credence.billing.models import (
    Account,
    CreditNote,
    DocumentCounter,
    Entry,
    EntryKind,
    Fund,
    IdempotencyKey,
    Invoice,
    InvoiceLine,
    Line,
    NoticeKind,
    Payment,
    PaymentMethod,
    Refund,
    RefundNotice,
    RefundStatus,
    TopUp,
    exact_sum,
    sums_by,
)
from credence.billing.policy import (
    ZERO,
    ChargedAttempt,
    Qualification,
    QueuedRefund,
    cancellation_credit,
    is_money,
    payable_now,
    queue_position,
    quote_attempt,
    refund_qualification,
    vat_split,
)
from credence.billing.tasks import send_payment_receipt
from credence.catalog import api as catalog_api
from credence.catalog.policy import ProgramRules
from credence.core.compiled import CompiledRead, model_columns
from credence.core.decisions import Refused
from credence.core.public import mail_subject
from credence.exams.models import Attempt
from credence.exams.statuses import AttemptStatus

FUND_CODE = "subsidy"


class BillingError(ValueError):
    """Bad input to a money operation; the message says what to correct. Nothing is stored."""


class IdempotencyConflict(BillingError):
    pass


# --- helpers -------------------------------------------------------------------------------


def program_today() -> date:
    return _today_in(catalog_api.program_model().time_zone)


def _today_in(time_zone: str) -> date:
    # Each operation takes the program's date once and passes it on (a query for the program
    # row per journal entry made a booking's queries a third more, issue 14).
    return timezone.localdate(timezone=ZoneInfo(time_zone))


def _claim(key: str, operation: str) -> IdempotencyKey | None:
    """The earlier run of this operation, or None after claiming ``key`` for this run.

    The key row is inserted in the caller's transaction: if it rolls back, the key is free
    again. A concurrent run with the same key waits on the unique index until the first
    commits, then finds its row."""
    key = key.strip()
    if not key:
        raise BillingError(_("An idempotency key is required for money operations."))
    # Insert first: a new key is the usual case, so looking for it first cost a query each time.
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(key=key, operation=operation)
            return None
    except IntegrityError:
        existing = IdempotencyKey.objects.get(key=key)
    if existing.operation != operation:
        raise IdempotencyConflict(_("This request key was already used for a different operation."))
    return existing


def _result_id(earlier: IdempotencyKey) -> int:
    """What the earlier run of a payment, transfer or top-up made: it remembered its result in
    the transaction that claimed the key, so a key found committed always has one."""
    assert earlier.result_id is not None
    return earlier.result_id


def _remember(key: str, result_id: int) -> None:
    IdempotencyKey.objects.filter(key=key.strip()).update(result_id=result_id)


# Every booking's invoice reads these: compiled once (decision 0047, issue 14).
_FUND_COLUMNS = model_columns(Fund, "id", "code", "currency", "balance")
_FUND = CompiledRead(
    lambda: Fund.objects.select_for_update().filter(code=FUND_CODE).values_list(*_FUND_COLUMNS)
)
_QUEUED = CompiledRead(
    lambda: Refund.objects.filter(status=RefundStatus.QUEUED).values_list("amount")
)
_PAID = CompiledRead(
    lambda candidate: Payment.objects.filter(invoice__candidate=candidate).values_list(
        "invoice_id", "amount"
    )
)


def _locked_fund(currency: str) -> Fund:
    rows = _FUND.rows()
    if not rows:
        try:
            with transaction.atomic():
                Fund.objects.create(code=FUND_CODE, currency=currency)
        except IntegrityError:
            pass  # created by a concurrent transaction; the lock below waits for it
        rows = _FUND.rows()
    return Fund.from_db(connection.alias, _FUND_COLUMNS, rows[0])


def _move_fund(fund: Fund, delta: Decimal) -> None:
    if fund.balance + delta < 0:
        raise BillingError(_("The subsidy fund cannot go below zero."))
    fund.balance += delta
    fund.save(update_fields=["balance"])


# One statement takes the next number: the UPDATE locks the row until the booking commits,
# RETURNING gives the number (PostgreSQL, SQLite >= 3.35); the ORM would need two (issue 14).
_TAKE_NUMBER = (
    "UPDATE {table} SET {last} = {last} + 1 WHERE {kind} = %s AND {year} = %s RETURNING {last}"
)


def _next_sequence(kind: str, year: int) -> int:
    quote = connection.ops.quote_name
    sql = _TAKE_NUMBER.format(
        table=quote(DocumentCounter._meta.db_table),
        last=quote("last"),
        kind=quote("kind"),
        year=quote("year"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, year])
        taken = cursor.fetchone()
        if taken is None:  # the year's first document
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(kind=kind, year=year)
            except IntegrityError:
                pass  # a concurrent booking created it; the UPDATE waits for its lock
            cursor.execute(sql, [kind, year])
            taken = cursor.fetchone()
    return int(taken[0])


Posting = tuple[str, Decimal, Any]  # account, amount (debit > 0, credit < 0), candidate or None


def _entry(
    *,
    kind: str,
    memo: str,
    postings: Iterable[Posting],
    currency: str,
    acting_user: User | None,
    booked_on: date,
    reverses: Entry | None = None,
    **cause: Any,
) -> tuple[Entry, list[Posting]]:
    """A balanced journal entry, not yet saved, with its postings (see ``_save``)."""
    postings = [p for p in postings if p[1] != 0]
    if len(postings) < 2 or sum((p[1] for p in postings), ZERO) != 0:
        raise AssertionError(f"unbalanced entry {kind}: {postings}")
    entry = Entry(
        kind=kind,
        booked_on=booked_on,
        currency=currency,
        memo=memo[:300],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        reverses=reverses,
        **cause,
    )
    return entry, postings


def _save(*entries: tuple[Entry, list[Posting]]) -> list[Entry]:
    """Save entries and all their lines in two statements, however many entries there are
    (an invoice with a subsidy posts two)."""
    saved = Entry.objects.bulk_create([entry for entry, _ in entries])
    Line.objects.bulk_create(
        Line(entry=entry, account=account, amount=amount, candidate=candidate)
        for entry, postings in entries
        for account, amount, candidate in postings
    )
    return saved


def _post(**entry: Any) -> Entry:
    """Post one balanced entry (the keywords of ``_entry``)."""
    return _save(_entry(**entry))[0]


def _reverse(
    entry: Entry, *, kind: str, memo: str, acting_user: User | None, booked_on: date, **cause: Any
) -> Entry:
    return _post(
        kind=kind,
        memo=memo,
        postings=[(line.account, -line.amount, line.candidate) for line in entry.lines.all()],
        currency=entry.currency,
        acting_user=acting_user,
        booked_on=booked_on,
        reverses=entry,
        **cause,
    )


def invoice_due(invoice: Invoice) -> Decimal:
    """What the candidate owes on the invoice after subsidy and credit notes."""
    credited = sum((note.candidate_share for note in invoice.credit_notes.all()), ZERO)
    return invoice.amount_due - credited


def invoice_paid(invoice: Invoice) -> Decimal:
    return exact_sum(invoice.payments.all())


def _settle_credit(candidate: User, *, today: date, acting_user: User | None) -> None:
    """Move what over-paid invoices hold in excess to the candidate's open invoices, oldest
    first. Only the allocation changes (two payment rows summing to zero); the candidate's
    receivable balance in the ledger is the same before and after."""
    # At most three queries whatever the number of invoices (invoice_paid and invoice_due per
    # invoice made every booking slower with each invoice the candidate has, issue 14).
    paid = sums_by(_PAID.rows(candidate.pk))
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


def _queued_total() -> Decimal:
    # summed here, not by SQL: SQLite adds decimals as floating point (``exact_sum``)
    return sum((amount for (amount,) in _QUEUED.rows()), ZERO)


# --- invoices (R7, R8) ---------------------------------------------------------------------


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
    today = _today_in(program.time_zone)
    sequence = _next_sequence("INV", today.year)
    fund = _locked_fund(program.currency)
    quote = quote_attempt(
        program,
        registered_on=timezone.localdate(candidate.date_joined, timezone=zone),
        waived=False,
        fund_available=fund.balance - _queued_total(),
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
        _entry(
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
            _entry(
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
        _move_fund(fund, -quote.subsidy)
    _save(*entries)
    _settle_credit(candidate, today=today, acting_user=acting_user)
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
    sequence = _next_sequence("CN", today.year)
    fund = _locked_fund(invoice.currency) if line.subsidy else None
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
    _reverse(
        invoice_entry,
        kind=EntryKind.CREDIT_NOTE,
        memo=note.number,
        acting_user=acting_user,
        booked_on=today,
        credit_note=note,
    )
    if fund is not None:
        _reverse(
            entries.get(kind=EntryKind.SUBSIDY),
            kind=EntryKind.SUBSIDY_RETURN,
            memo=note.number,
            acting_user=acting_user,
            booked_on=today,
            credit_note=note,
        )
        _move_fund(fund, line.subsidy)
        _pay_queue(fund, today=today, acting_user=acting_user)
    _settle_credit(invoice.candidate, today=today, acting_user=acting_user)
    record(
        action="billing.credit_note_issued",
        subject=note,
        actor=acting_user,
        subject_user=invoice.candidate,
        reason=decision.reason,
        after={"number": note.number, "invoice": invoice.number, "fee": str(note.fee)},
    )
    return note


# --- payments ------------------------------------------------------------------------------


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
    earlier = _claim(idempotency_key, "payment")
    if earlier is not None:
        return Payment.objects.get(pk=_result_id(earlier))
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
    _post(
        kind=EntryKind.PAYMENT,
        memo=f"{invoice.number} {source or bank_reference}",
        postings=[(Account.BANK, amount, None), (Account.RECEIVABLE, -amount, candidate)],
        currency=invoice.currency,
        acting_user=acting_user,
        booked_on=today,
        payment=payment,
    )
    _settle_credit(candidate, today=today, acting_user=acting_user)
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
    _remember(idempotency_key, payment.pk)
    return payment


def candidate_balance(candidate: User) -> Decimal:
    """What the candidate owes (positive) or holds as credit (negative), from the ledger."""
    lines = Line.objects.filter(account=Account.RECEIVABLE, candidate=candidate)
    return exact_sum(lines)


@transaction.atomic
def credit_payout(
    *, candidate: User, amount: Decimal, acting_user: User | None, idempotency_key: str
) -> Payment:
    """Pay a candidate's credit back by bank transfer (at most the credit they hold)."""
    if not is_money(amount):
        raise BillingError(_("Enter a positive amount with at most two decimal places."))
    earlier = _claim(idempotency_key, "credit_payout")
    if earlier is not None:
        return Payment.objects.get(pk=_result_id(earlier))
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
        _post(
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
        # Credit always sits on over-paid invoices (see _settle_credit); if it does not, the
        # books need a look before money leaves, and the transaction rolls back.
        raise BillingError(_("The credit could not be matched to over-paid invoices."))
    record(
        action="billing.credit_paid_back",
        subject=first,
        actor=acting_user,
        subject_user=candidate,
        after={"amount": str(amount)},
    )
    _remember(idempotency_key, first.pk)
    return first


# --- the fund and excellence refunds (R8, R9) -----------------------------------------------


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
    earlier = _claim(idempotency_key, "top_up")
    if earlier is not None:
        return TopUp.objects.get(pk=_result_id(earlier))
    program = catalog_api.program_model()
    currency, today = program.currency, _today_in(program.time_zone)
    fund = _locked_fund(currency)
    top_up = TopUp.objects.create(
        amount=amount, received_on=received_on, note=note[:300], recorded_by=acting_user
    )
    _post(
        kind=EntryKind.TOP_UP,
        memo=note or _("Fund top-up"),
        postings=[(Account.BANK, amount, None), (Account.SUBSIDY_FUND, -amount, None)],
        currency=currency,
        acting_user=acting_user,
        booked_on=today,
        top_up=top_up,
    )
    _move_fund(fund, amount)
    paid = _pay_queue(fund, today=today, acting_user=acting_user)
    record(
        action="billing.fund_topped_up",
        subject=top_up,
        actor=acting_user,
        after={"amount": str(amount), "balance": str(fund.balance), "refunds_paid": paid},
    )
    _remember(idempotency_key, top_up.pk)
    return top_up


def _charged_attempts(candidate: User, certification: str) -> list[ChargedAttempt]:
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
        earlier = _claim(idempotency_key, "refund")
        # A key seen before without a refund (the candidate did not qualify then) is asked
        # afresh: the unique links below still prevent a second refund.
        if earlier is not None and earlier.result_id is not None:
            return RefundOutcome(Refund.objects.get(pk=earlier.result_id), created=False)

    def outcome(refund: Refund, *, created: bool) -> RefundOutcome:
        if idempotency_key is not None:
            _remember(idempotency_key, refund.pk)
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
        _charged_attempts(candidate, certification),
        already_refunded=already,
    )
    if isinstance(decision, Refused):
        if attempt.pk in already:
            existing = Refund.objects.filter(first_attempt=attempt).first() or (
                Refund.objects.get(second_attempt=attempt)
            )
            return outcome(existing, created=False)
        return None
    fund = _locked_fund(program.currency)
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
    paid = _pay_queue(
        fund, today=_today_in(program.time_zone), acting_user=acting_user, fresh_id=refund.pk
    )
    if refund.pk not in paid:
        _notify(refund, NoticeKind.QUEUED, position=queue_position(_queue(), refund.pk))
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


def _queue() -> list[QueuedRefund]:
    return [
        QueuedRefund(refund_id=r.pk, qualified_at=r.qualified_at, amount=r.amount)
        for r in Refund.objects.filter(status=RefundStatus.QUEUED)
    ]


def _pay_queue(
    fund: Fund, *, today: date, acting_user: User | None, fresh_id: int | None = None
) -> list[int]:
    """Pay waiting refunds in order while the fund covers the first one. The fund row must be
    locked by the caller."""
    paid = payable_now(_queue(), fund.balance)
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
    _post(
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
    _move_fund(fund, -refund.amount)
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
        _post(
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


def refund_to_transfer(refund: Refund) -> Decimal:
    """What is still owed to the candidate on a paid refund (after set-off and transfers)."""
    lines = Line.objects.filter(entry__refund=refund, account=Account.REFUNDS_PAYABLE)
    return -exact_sum(lines)


@transaction.atomic
def refund_transfer(*, refund: Refund, acting_user: User | None, idempotency_key: str) -> Refund:
    """The office records the bank transfer of a paid refund to the candidate."""
    earlier = _claim(idempotency_key, "refund_transfer")
    if earlier is not None:
        return Refund.objects.get(pk=_result_id(earlier))
    fund = _locked_fund(refund.currency)  # serialises with payments of the queue
    refund = Refund.objects.select_related("candidate").get(pk=refund.pk)
    if refund.status != RefundStatus.PAID:
        raise BillingError(_("Only a refund the fund has paid can be transferred."))
    amount = refund_to_transfer(refund)
    if amount <= 0:
        raise BillingError(
            _("Nothing is left to transfer: the refund settled fees the candidate owed.")
        )
    _post(
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
    _remember(idempotency_key, refund.pk)
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
    transaction.on_commit(lambda: _mail_notice(notice.pk))


def _mail_notice(notice_id: int) -> None:
    from credence.billing.selectors import notice_text

    notice = RefundNotice.objects.select_related("refund__candidate", "refund__certification").get(
        pk=notice_id
    )
    send_mail(
        subject=mail_subject(_("Your excellence refund")),
        message=notice_text(notice),
        from_email=None,
        recipient_list=[notice.refund.candidate.email],
    )
