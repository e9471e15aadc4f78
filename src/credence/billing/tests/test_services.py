"""The billing services against a real database, through the exams hooks: invoices on
booking, payments, credit notes on cancellation, the fund, refunds and their queue."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from credence.audit.models import AuditEvent
from credence.billing.checks import ledger_problems
from credence.billing.fund import fund_top_up, refund_approve, refund_transfer
from credence.billing.ledger import BillingError, IdempotencyConflict
from credence.billing.models import (
    CreditNote,
    Entry,
    EntryKind,
    Fund,
    Invoice,
    Line,
    NoticeKind,
    Payment,
    PaymentMethod,
    Refund,
    RefundStatus,
)
from credence.billing.payments import credit_payout, payment_record
from credence.billing.selectors import (
    candidate_account,
    candidate_balance,
    fund_balance,
    fund_series,
)
from credence.exams.services import attempt_cancel

from .conftest import PORTFOLIO, TEST, book, excel, key, make_candidate, pay, result, top_up

D = Decimal


def sound():
    problems = ledger_problems()
    assert problems == []


# invoices (R7, R8) ---------------------------------------------------------------------------


def test_booking_issues_an_invoice_with_one_line_and_the_programs_fee(late):
    attempt = book(late)
    invoice = Invoice.objects.get()
    [line] = invoice.lines.all()
    assert line.attempt == attempt
    assert (invoice.number, invoice.total, invoice.subsidy, invoice.amount_due) == (
        "INV-2026-00001",
        D("200.00"),
        D("0.00"),
        D("200.00"),
    )
    assert invoice.issued_on == date(2026, 3, 10) and invoice.vat == 0
    assert candidate_balance(late) == D("200.00")
    assert AuditEvent.objects.filter(action="billing.invoice_issued", subject_user=late).exists()
    sound()


def test_invoicing_the_same_attempt_again_changes_nothing(late):
    from credence.billing.api import invoice_attempt

    attempt = book(late)
    assert invoice_attempt(attempt=attempt, acting_user=late).number == "INV-2026-00001"
    assert Invoice.objects.count() == 1 and Entry.objects.count() == 1


def test_the_subsidy_is_drawn_while_the_fund_covers_it(office, first_cohort):
    top_up(office, "150.00")
    book(first_cohort, "nlp", TEST)
    invoice = Invoice.objects.get()
    assert (invoice.subsidy, invoice.amount_due, invoice.cohort_code) == (
        D("100.00"),
        D("100.00"),
        "2026-first",
    )
    assert fund_balance() == D("50.00")
    # The fund holds 50 now: the next booking's 100 subsidy cannot be drawn, the full fee is due.
    book(first_cohort, "mlops", TEST)
    second = Invoice.objects.get(number="INV-2026-00002")
    assert second.subsidy == 0 and second.amount_due == D("200.00")
    assert "cannot cover" in second.subsidy_note
    assert fund_balance() == D("50.00")
    sound()


def test_numbers_start_again_each_calendar_year_without_gaps(late, clock):
    book(late, "nlp", TEST, date(2026, 12, 20))
    clock.move_to("2027-01-02 10:00Z")
    book(late, "mlops", TEST, date(2027, 2, 1))
    book(late, "responsible-ai", TEST, date(2027, 2, 1))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "INV-2026-00001",
        "INV-2027-00001",
        "INV-2027-00002",
    ]
    sound()


def test_a_refused_booking_leaves_no_invoice_and_no_number_used(late, office):
    from credence.exams.services import BookingRefused

    book(late)  # the knowledge test is booked ...
    with pytest.raises(BookingRefused):
        book(late, "nlp", PORTFOLIO)  # ... but R1 refuses the portfolio before it is passed
    book(late, "mlops")
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2]


def test_vat_included_shows_the_vat_the_fee_contains(late, settings):
    settings.CREDENCE_VAT_TREATMENT = "included"
    settings.CREDENCE_VAT_RATE = "19"
    book(late)
    invoice = Invoice.objects.get()
    assert invoice.vat == D("31.93") and invoice.total == D("200.00")
    revenue = Line.objects.get(account="fee_revenue")
    assert revenue.amount == D("-168.07")
    sound()


# payments ----------------------------------------------------------------------------------------


def test_a_payment_matched_by_reference_confirms_the_booking(office, late):
    book(late)
    invoice = Invoice.objects.get()
    payment_record(
        reference=" inv-2026-00001 ",
        amount=D("120.00"),
        received_on=date(2026, 3, 9),
        acting_user=office,
        idempotency_key="bank-1",
    )
    [view] = candidate_account(late, "EUR").invoices
    assert (view.state, view.outstanding, view.confirmed) == ("partly_paid", D("80.00"), False)
    pay(office, invoice, "80.00")
    [view] = candidate_account(late, "EUR").invoices
    assert view.confirmed and candidate_balance(late) == 0
    sound()


def test_a_retried_payment_is_recorded_once(office, late):
    book(late)
    kwargs = {
        "reference": "INV-2026-00001",
        "amount": D("200.00"),
        "received_on": date(2026, 3, 9),
        "acting_user": office,
        "idempotency_key": "bank-statement-line-17",
    }
    first = payment_record(**kwargs)
    again = payment_record(**kwargs)
    assert first == again and Payment.objects.count() == 1
    assert candidate_balance(late) == 0
    with pytest.raises(IdempotencyConflict):
        fund_top_up(
            amount=D("1.00"),
            received_on=date(2026, 3, 1),
            acting_user=office,
            idempotency_key="bank-statement-line-17",
        )


@pytest.mark.parametrize(
    ("reference", "amount", "message"),
    [
        ("INV-2026-09999", "10.00", "No invoice has the reference"),
        ("INV-2026-00001", "0", "positive amount"),
        ("INV-2026-00001", "10.001", "two decimal places"),
        ("INV-2026-00001", "-5", "positive amount"),
    ],
)
def test_bad_payments_are_refused_with_a_reason_and_nothing_stored(
    office, late, reference, amount, message
):
    book(late)
    with pytest.raises(BillingError, match=message):
        payment_record(
            reference=reference,
            amount=D(amount),
            received_on=date(2026, 3, 9),
            acting_user=office,
            idempotency_key=key(),
        )
    assert Payment.objects.count() == 0 and Entry.objects.count() == 1


def test_an_over_payment_settles_the_next_open_invoice_then_stays_as_credit(office, late):
    book(late, "nlp")
    book(late, "mlops")
    first = Invoice.objects.get(number="INV-2026-00001")
    pay(office, first, "300.00")
    views = {v.invoice.number: v for v in candidate_account(late, "EUR").invoices}
    assert views["INV-2026-00001"].state == "paid"
    assert views["INV-2026-00002"].state == "partly_paid"
    assert views["INV-2026-00002"].outstanding == D("100.00")
    pay(office, Invoice.objects.get(number="INV-2026-00002"), "150.00")
    account = candidate_account(late, "EUR")
    assert account.credit == D("50.00") and account.owed == 0
    # The next booking uses the credit.
    book(late, "responsible-ai")
    views = {v.invoice.number: v for v in candidate_account(late, "EUR").invoices}
    assert views["INV-2026-00003"].paid == D("50.00")
    assert candidate_balance(late) == D("150.00")
    sound()


def test_credit_can_be_paid_back_but_not_more_than_is_held(office, late):
    book(late)
    pay(office, Invoice.objects.get(), "230.00")
    with pytest.raises(BillingError, match="less credit"):
        credit_payout(candidate=late, amount=D("30.01"), acting_user=office, idempotency_key=key())
    credit_payout(candidate=late, amount=D("30.00"), acting_user=office, idempotency_key=key())
    assert candidate_balance(late) == 0
    assert Payment.objects.filter(method=PaymentMethod.PAYOUT, amount=D("-30.00")).exists()
    sound()


# cancellations ------------------------------------------------------------------------------------


def test_cancelling_in_time_credits_the_fee_and_returns_the_subsidy(office, first_cohort):
    top_up(office, "100.00")
    attempt = book(first_cohort, held_on=date(2026, 3, 17))  # 7 days ahead: still free
    assert fund_balance() == 0
    attempt_cancel(attempt=attempt, acting_user=first_cohort)
    note = CreditNote.objects.get()
    assert (note.number, note.fee, note.subsidy) == ("CN-2026-00001", D("200.00"), D("100.00"))
    assert fund_balance() == D("100.00")
    assert candidate_balance(first_cohort) == 0
    [view] = candidate_account(first_cohort, "EUR").invoices
    assert view.state == "cancelled"
    credit_entry = Entry.objects.get(kind=EntryKind.CREDIT_NOTE)
    assert credit_entry.reverses.kind == EntryKind.INVOICE
    sound()


def test_cancelling_late_keeps_the_fee(office, late):
    attempt = book(late, held_on=date(2026, 3, 16))  # six days ahead
    pay(office, Invoice.objects.get())
    attempt_cancel(attempt=attempt, acting_user=late)
    assert CreditNote.objects.count() == 0
    event = AuditEvent.objects.get(action="billing.cancellation_fee_kept")
    assert "7 days" in event.reason
    sound()


def test_a_cancelled_paid_booking_leaves_a_credit(office, late):
    attempt = book(late, held_on=date(2026, 5, 1))
    pay(office, Invoice.objects.get())
    attempt_cancel(attempt=attempt, acting_user=late)
    assert candidate_account(late, "EUR").credit == D("200.00")
    sound()


# the ledger is append-only ---------------------------------------------------------------------


def test_journal_rows_are_never_edited_or_deleted(late):
    book(late)
    entry = Entry.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        Line.objects.update(amount=D("1.00"))
    with pytest.raises(TypeError):
        Line.objects.all().delete()


# excellence refunds (R9) ---------------------------------------------------------------------


def test_an_excellent_candidate_is_refunded_from_the_fund_and_told(office, late):
    top_up(office, "1000.00")
    excel(late, office)
    for invoice in Invoice.objects.all():
        pay(office, invoice)
    # The refund was granted when the second result was released; both invoices were unpaid
    # then, so it settled them.
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PAID and refund.amount == D("400.00")
    assert fund_balance() == D("600.00")
    assert candidate_account(late, "EUR").credit == D("400.00")
    sound()


def test_a_paid_candidate_gets_the_refund_transferred(
    office, late, django_capture_on_commit_callbacks
):
    top_up(office, "1000.00")
    first = book(late, "nlp", TEST, date(2026, 4, 1))
    pay(office, Invoice.objects.get())
    result(first, "96", office)
    second = book(late, "nlp", PORTFOLIO, date(2026, 4, 20))
    pay(office, Invoice.objects.get(number="INV-2026-00002"))
    with django_capture_on_commit_callbacks(execute=True):
        result(second, "91", office)
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PAID
    [view] = candidate_account(late, "EUR").refunds
    assert view.to_transfer == D("400.00")
    assert "refunds the 400.00 EUR" in view.messages[0][1]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [late.email]
    assert "refunds the 400.00 EUR" in mail.outbox[0].body
    refund_transfer(refund=refund, acting_user=office, idempotency_key="tr-1")
    refund_transfer(refund=refund, acting_user=office, idempotency_key="tr-1")  # a retry
    refund.refresh_from_db()
    assert refund.status == RefundStatus.TRANSFERRED
    assert Entry.objects.filter(kind=EntryKind.REFUND_TRANSFER).count() == 1
    transferred = candidate_account(late, "EUR").refunds[0].messages[-1][1]
    assert "was transferred to your bank account on March 10, 2026" in transferred
    sound()


def test_the_refund_is_what_the_candidate_paid_not_the_subsidy(office, first_cohort):
    top_up(office, "1000.00")
    excel(first_cohort, office)
    refund = Refund.objects.get()
    assert refund.amount == D("200.00")  # 2 x (200 fee - 100 subsidy)
    assert fund_balance() == D("1000.00") - 2 * D("100.00") - D("200.00")
    sound()


def test_no_refund_at_90_or_below(office, late):
    top_up(office, "1000.00")
    excel(late, office, scores=("95", "90"))
    assert Refund.objects.count() == 0


def test_when_the_fund_is_short_the_refund_queues_and_a_top_up_pays_in_order(office, program):
    early = make_candidate("early", date(2025, 5, 1))
    later = make_candidate("later", date(2025, 5, 2))
    top_up(office, "100.00")
    excel(early, office, "nlp")
    excel(later, office, "mlops")
    queue = list(Refund.objects.order_by("qualified_at", "id"))
    assert [r.status for r in queue] == [RefundStatus.QUEUED, RefundStatus.QUEUED]
    [view] = candidate_account(later, "EUR").refunds
    assert view.position == 2 and "place 2" in view.messages[0][1]
    # 500 covers the first (400) but not the second: the second keeps waiting.
    top_up(office, "400.00")
    queue = [Refund.objects.get(pk=r.pk) for r in queue]
    assert [r.status for r in queue] == [RefundStatus.PAID, RefundStatus.QUEUED]
    assert fund_balance() == D("100.00")
    assert candidate_account(later, "EUR").refunds[0].position == 1
    top_up(office, "300.00")
    assert Refund.objects.filter(status=RefundStatus.PAID).count() == 2
    assert fund_balance() == 0
    early_notices = list(queue[0].notices.values_list("kind", flat=True))
    assert early_notices == [NoticeKind.QUEUED, NoticeKind.PAID_FROM_QUEUE]
    assert "now paid" in candidate_account(early, "EUR").refunds[0].messages[-1][1]
    sound()


def test_queued_refunds_come_before_new_subsidies(office, late, first_cohort):
    top_up(office, "100.00")
    book(first_cohort, "responsible-ai")  # draws the 100 subsidy
    top_up(office, "100.00")
    excel(late, office)  # refund of 400 queues: the fund holds only 100
    book(first_cohort, "mlops")
    assert Invoice.objects.order_by("id").last().subsidy == 0
    assert fund_balance() == D("100.00")
    sound()


def test_a_refund_is_never_granted_twice(office, late):
    top_up(office, "1000.00")
    _, second = excel(late, office)
    again = refund_approve(attempt=second, acting_user=office)
    assert again is not None and not again.created
    assert Refund.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.REFUND).count() == 1
    sound()


def test_the_fund_balance_over_time_follows_every_movement(office, first_cohort):
    top_up(office, "500.00")
    book(first_cohort)
    assert [balance for _, balance in fund_series()] == [D("500.00"), D("400.00")]
    assert Fund.objects.get().balance == D("400.00")


def test_a_keyed_approval_is_safe_to_retry_before_and_after_qualifying(office, late):
    top_up(office, "1000.00")
    first = result(book(late, "nlp", TEST, date(2026, 4, 1)), "97", office)
    assert refund_approve(attempt=first, acting_user=office, idempotency_key="r-1") is None
    assert refund_approve(attempt=first, acting_user=office, idempotency_key="r-1") is None
    second = result(book(late, "nlp", PORTFOLIO, date(2026, 4, 20)), "98", office)
    granted = refund_approve(attempt=second, acting_user=office, idempotency_key="r-2")
    again = refund_approve(attempt=second, acting_user=office, idempotency_key="r-2")
    assert granted.refund == again.refund and not again.created
    assert Refund.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.REFUND).count() == 1


def test_a_refund_that_settled_everything_has_nothing_to_transfer(office, late):
    top_up(office, "1000.00")
    excel(late, office)  # both invoices unpaid: the refund settles them
    with pytest.raises(BillingError, match="Nothing is left to transfer"):
        refund_transfer(refund=Refund.objects.get(), acting_user=office, idempotency_key=key())
    assert candidate_balance(late) == 0
    sound()


# cost (issue 14) --------------------------------------------------------------------------


def test_a_bookings_and_a_payments_queries_do_not_grow_with_the_candidates_invoices(office, late):
    """Settling credit once read each invoice's payments and credit notes apart, so every
    booking and payment of a candidate cost two queries more than the one before."""
    queries = []
    for cert in ("nlp", "mlops", "computer-vision", "responsible-ai"):
        with CaptureQueriesContext(connection) as booking:
            book(late, cert)
        queries.append(len(booking))
    assert queries[1:] == [queries[1]] * 3  # the first booking also creates the counter
    payments = []
    for invoice in Invoice.objects.order_by("id"):
        with CaptureQueriesContext(connection) as payment:
            pay(office, invoice)
        payments.append(len(payment))
    assert payments == [payments[0]] * 4
    sound()


# the candidate is told (issue 18, item 7) -------------------------------------------------


def test_a_recorded_payment_is_mailed_to_the_candidate_once(office, late):
    invoice = Invoice.objects.get(lines__attempt=book(late))
    DBTaskResult.objects.all().delete()  # the booking's own confirmation is not what is tested
    paid = payment_record(
        reference=invoice.number,
        amount=Decimal("50.00"),
        received_on=date(2026, 3, 9),
        acting_user=office,
        idempotency_key="pay-once",
    )
    again = payment_record(  # the same request again (a double click): no second mail
        reference=invoice.number,
        amount=Decimal("50.00"),
        received_on=date(2026, 3, 9),
        acting_user=office,
        idempotency_key="pay-once",
    )
    assert again == paid
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "credence.billing.tasks.send_payment_receipt"
    queued.task.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == ["late@example.invalid"]
    assert message.subject == f"[Credence] Payment received: invoice {invoice.number}"
    assert f"we received 50.00 EUR on March 9, 2026 for invoice {invoice.number}." in (message.body)
    assert re.search(r"what is still open: https?://[^/\s]+/billing/\n$", message.body)
