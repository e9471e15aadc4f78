"""Fees and the excellence refund in a real browser (issue 5, item 8): a candidate books and
sees the invoice, staff record the payment at the billing desk, the candidate scores over 90
in both evaluations of a certification, and the refund is paid or queued by the fund's state
(and a staff top-up then pays the queue).

Booking pages and result release belong to the knowledge-test and portfolio issues; here the
booking and the results go through the same services those pages call (``attempt_book``,
``attempt_record_result``), and everything about money happens in the browser."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from signin import log_in

from credence.accounts.models import User
from credence.billing.fund import fund_top_up
from credence.billing.models import Invoice, Refund, RefundStatus
from credence.exams.services import attempt_book, attempt_record_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NLP = "Natural Language Processing"


def record_payment(desk: Page, reference: str, amount: str) -> None:
    desk.goto("/billing/office/")
    desk.get_by_role("link", name="Record a payment").click()
    desk.get_by_label("Invoice reference").fill(reference)
    desk.get_by_label("Amount received").fill(amount)
    desk.get_by_label("Received on").fill(timezone.localdate().isoformat())
    desk.get_by_label("Bank statement text").fill(f"Ada Lovelace {reference}")
    desk.get_by_role("button", name="Record payment").click()
    expect(desk.get_by_role("status")).to_contain_text(f"recorded on {reference}")


def book(candidate: User, evaluation: str, held_on) -> tuple[object, Invoice]:
    attempt = attempt_book(
        candidate=candidate,
        certification="nlp",
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )
    return attempt, Invoice.objects.get(lines__attempt=attempt)


@pytest.mark.parametrize("funded", [True, False], ids=["fund-pays", "fund-empty-queue"])
def test_book_pay_excel_and_get_the_refund(
    page: Page, browser: Browser, live_server, office_and_ada, screenshot, funded
):
    office, ada = office_and_ada
    if funded:
        fund_top_up(
            amount=Decimal("1000.00"),
            received_on=timezone.localdate(),
            acting_user=office,
            idempotency_key="journey-fund",
        )
    desk_context = browser.new_context(base_url=str(live_server), locale="en-US")
    desk_context.set_default_timeout(10_000)
    desk = desk_context.new_page()
    log_in(desk, office.email)
    log_in(page, ada.email)

    # Ada books the knowledge test: an invoice appears, awaiting payment.
    day = timezone.localdate() + timedelta(days=30)
    test_attempt, first = book(ada, "knowledge-test", day)
    page.get_by_role("link", name="My fees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My fees")
    row = page.get_by_role("row").filter(has_text=first.number)
    expect(row).to_contain_text("Awaiting payment")
    due = "150.00" if funded else "200.00"  # second 2026 cohort: the fund covers 25 %
    expect(page.get_by_test_id("owed")).to_have_text(f"{due} EUR")
    with page.expect_download() as download:
        row.get_by_role("link", name=f"Download {first.number}").click()
    assert download.value.suggested_filename == f"{first.number}.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    screenshot(f"billing-my-fees-open-{'funded' if funded else 'empty'}")

    # Staff match the bank transfer by its reference: the booking is confirmed.
    record_payment(desk, first.number, due)
    page.reload()
    expect(page.get_by_role("row").filter(has_text=first.number)).to_contain_text(
        "Paid: booking confirmed"
    )
    expect(page.get_by_test_id("owed")).to_have_text("0.00 EUR")

    # Over 90 in the test; then the portfolio interview, paid and over 90 as well.
    attempt_record_result(
        attempt=test_attempt, score=Decimal("95"), released_on=day, acting_user=office
    )
    portfolio_attempt, second = book(ada, "portfolio", day + timedelta(days=20))
    record_payment(desk, second.number, due)
    attempt_record_result(
        attempt=portfolio_attempt,
        score=Decimal("93"),
        released_on=day + timedelta(days=22),
        acting_user=office,
    )

    page.reload()
    refund = page.get_by_role("article", name=NLP)
    refunded = f"{Decimal(due) * 2:.2f} EUR"
    expect(refund.get_by_role("heading")).to_contain_text(refunded)
    if funded:
        expect(refund).to_contain_text("Paid from the fund")
        expect(refund).to_contain_text(f"refunds the {refunded} you were charged")
        assert Refund.objects.get().status == RefundStatus.PAID
    else:
        expect(refund).to_contain_text("Waiting for the fund")
        expect(refund).to_contain_text("place 1 in the queue")
        expect(refund).to_contain_text("cannot pay it at the moment")
        screenshot("billing-refund-queued")
        # Staff top the fund up at the desk; the queue is paid at once.
        desk.goto("/billing/office/")
        expect(desk.get_by_role("region", name="Refunds waiting for the fund")).to_contain_text(
            "Ada Lovelace"
        )
        desk.get_by_role("link", name="Top up the fund").click()
        desk.get_by_label("Amount").fill("500.00")
        desk.get_by_label("Received on").fill(timezone.localdate().isoformat())
        desk.get_by_role("button", name="Top up").click()
        expect(desk.get_by_test_id("fund")).to_have_text("100.00 EUR")
        expect(desk.get_by_role("region", name="Refunds waiting for the fund")).to_contain_text(
            "No refund is waiting."
        )
        page.reload()
        refund = page.get_by_role("article", name=NLP)
        expect(refund).to_contain_text("Paid from the fund")
        expect(refund).to_contain_text("your queued excellence refund of 400.00 EUR")
    # Both fees were paid, so the whole refund is transferred (issue 19 item 6): nothing is
    # said to settle fees "still owed", and the statement says what the page says.
    expect(refund).to_contain_text(f"No fee of yours was open, so all of it, {refunded}")
    expect(refund.get_by_test_id("refund-to-transfer")).to_contain_text(f"{refunded} by ")
    expect(refund).not_to_contain_text("owed")
    with page.expect_download() as download:
        refund.get_by_role("link", name="Refund statement (PDF)").click()
    statement = PdfReader(download.value.path()).pages[0].extract_text()
    assert "Ada Lovelace" in statement
    assert "To be transferred to your bank account by" in statement and refunded in statement
    screenshot(f"billing-refund-{'paid' if funded else 'paid-from-queue'}")

    # The desk's chart and the staff-only pages are there for staff, not for Ada.
    desk.goto("/billing/office/")
    expect(desk.get_by_role("img", name=re.compile("subsidy fund balance"))).to_be_visible()
    desk.screenshot(
        path=str(Path(settings.VAR_DIR) / "screenshots" / f"billing-desk-{funded}.png"),
        full_page=True,
    )
    assert page.goto("/billing/office/").status == 403
    desk_context.close()
