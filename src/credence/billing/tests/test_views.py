"""The billing pages: a candidate's fees and invoice PDFs, and the program office's desk,
which only the staff role may use."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from credence.billing.models import Invoice, Payment, PaymentMethod, Refund, RefundStatus, TopUp
from credence.billing.selectors import candidate_balance, fund_balance

from .conftest import PORTFOLIO, TEST, book, excel, make_candidate, pay, result, top_up


@pytest.fixture
def subsidised(office, first_cohort):
    top_up(office, "500.00")
    book(first_cohort)
    return Invoice.objects.get()


def test_pages_need_a_login(client, program):
    for url in ("/billing/", "/billing/office/", "/billing/office/revenue.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_desk_is_for_the_staff_role_only(client, first_cohort, subsidised):
    client.force_login(first_cohort)
    for url in (
        "/billing/office/",
        "/billing/office/payments/new/",
        "/billing/office/top-ups/new/",
        "/billing/office/fund.svg",
        "/billing/office/revenue.csv",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/billing/office/payments/new/", {}).status_code == 403
    assert Payment.objects.count() == 0


def test_a_candidate_sees_what_they_owe_and_their_invoices(client, first_cohort, subsidised):
    client.force_login(first_cohort)
    page = client.get("/billing/").content.decode()
    assert "My fees" in page
    assert "INV-2026-00001" in page and "Awaiting payment" in page
    assert 'data-testid="owed">100.00 EUR' in page
    assert "Natural Language Processing · Knowledge test · April 1, 2026\n" in page


def test_the_invoice_pdf_shows_fee_subsidy_and_the_vat_note(client, first_cohort, subsidised):
    client.force_login(first_cohort)
    response = client.get("/billing/invoices/INV-2026-00001.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Invoice INV-2026-00001" in text
    assert "200.00 EUR" in text and "-100.00 EUR" in text
    # the cohort's name and the attempt's day as the reader writes them, not codes or ISO dates
    assert "Subsidy from the program's fund (First cohort 2026, 50% of the fee)" in text
    assert re.search(r"Knowledge test · [A-Z][a-z]+\.? \d{1,2}, 2026", text)
    assert "Exempt from VAT" in text
    assert "Amount due" in text and "100.00 EUR" in text


def test_nobody_else_can_download_a_candidates_invoice(client, program, subsidised):
    client.force_login(make_candidate("other", subsidised.issued_on))
    assert client.get("/billing/invoices/INV-2026-00001.pdf").status_code == 404


def test_staff_record_a_payment_once_even_if_the_form_is_sent_twice(
    client, office, first_cohort, subsidised
):
    client.force_login(office)
    form = {
        "reference": "INV-2026-00001",
        "amount": "100.00",
        "received_on": "2026-03-09",
        "bank_reference": "Ada transfer",
        "idempotency_key": "form-123",
    }
    first = client.post("/billing/office/payments/new/", form)
    second = client.post("/billing/office/payments/new/", form)
    assert first.status_code == second.status_code == 302
    assert Payment.objects.count() == 1
    client.force_login(first_cohort)
    assert "Paid: booking confirmed" in client.get("/billing/").content.decode()


def test_a_payment_to_an_unknown_reference_is_explained_and_not_stored(client, office, subsidised):
    client.force_login(office)
    response = client.post(
        "/billing/office/payments/new/",
        {
            "reference": "INV-2026-00042",
            "amount": "100.00",
            "received_on": "2026-03-09",
            "idempotency_key": "form-9",
        },
    )
    assert response.status_code == 200
    assert "No invoice has the reference INV-2026-00042" in response.content.decode()
    assert Payment.objects.count() == 0


def test_a_top_up_from_the_desk_pays_the_queue(client, office, late):
    excel(late, office)
    assert Refund.objects.get().status == RefundStatus.QUEUED
    client.force_login(office)
    page = client.get("/billing/office/top-ups/new/").content.decode()
    assert 'name="idempotency_key"' in page
    response = client.post(
        "/billing/office/top-ups/new/",
        {"amount": "1000.00", "received_on": "2026-03-09", "note": "", "idempotency_key": "t1"},
    )
    assert response.status_code == 302
    assert Refund.objects.get().status == RefundStatus.PAID
    assert fund_balance() == Decimal("600.00") and TopUp.objects.count() == 1


def test_the_desk_shows_fund_chart_queue_and_revenue(client, office, late, first_cohort):
    top_up(office, "300.00")
    book(first_cohort, "mlops")
    excel(late, office)  # 400 > 200 left: queued
    pay(office, Invoice.objects.get(number="INV-2026-00001"))
    client.force_login(office)
    page = client.get("/billing/office/").content.decode()
    assert 'data-testid="fund">200.00 EUR' in page
    assert "Refunds waiting for the fund" in page and "Late" in page
    svg = client.get("/billing/office/fund.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "<polyline" in body and "<title" in body and "From 300.00 to 200.00" in body
    # the revenue table names certifications and cohorts; the CSV below keeps their codes
    assert '<th scope="row">MLOps</th><td>First cohort 2026</td>' in page

    rows = list(
        csv.DictReader(io.StringIO(client.get("/billing/office/revenue.csv").content.decode()))
    )
    by_key = {(r["certification"], r["cohort"]): r for r in rows}
    assert by_key[("mlops", "2026-first")]["subsidy"] == "100.00"
    assert by_key[("nlp", "-")]["fees"] == "400.00"
    assert by_key[("nlp", "-")]["refunds_granted"] == "400.00"


def test_staff_mark_a_refund_transferred(client, office, late):
    top_up(office, "1000.00")
    first = book(late, "nlp", TEST, date(2026, 4, 1))
    pay(office, Invoice.objects.get())
    result(first, "99", office)
    second = book(late, "nlp", PORTFOLIO, date(2026, 4, 20))
    pay(office, Invoice.objects.get(lines__attempt=second))
    result(second, "99", office)
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PAID
    client.force_login(office)
    client.post(f"/billing/office/refunds/{refund.pk}/transferred/", {"idempotency_key": "x-1"})
    refund.refresh_from_db()
    assert refund.status == RefundStatus.TRANSFERRED
    client.force_login(late)
    assert "400.00 EUR of your excellence refund" in client.get("/billing/").content.decode()


def test_the_office_pays_a_credit_back_written_as_german_writes_it(client, office, late):
    book(late)
    pay(office, Invoice.objects.get(), "260.00")
    client.force_login(office)
    page = client.get("/billing/office/", headers={"accept-language": "de"}).content.decode()
    assert 'value="60,00"' in page  # offered as German writes it
    client.post(
        f"/billing/office/credits/{late.pk}/paid-back/",
        {"amount": "60,00", "idempotency_key": "de-1"},
        headers={"accept-language": "de"},
    )
    assert candidate_balance(late) == 0


def test_staff_pay_a_credit_back_once(client, office, late):
    book(late)
    pay(office, Invoice.objects.get(), "260.00")
    client.force_login(office)
    page = client.get("/billing/office/").content.decode()
    assert "Candidates in credit" in page and 'value="60.00"' in page
    form = {"amount": "60.00", "idempotency_key": "credit-once"}
    client.post(f"/billing/office/credits/{late.pk}/paid-back/", form)
    client.post(f"/billing/office/credits/{late.pk}/paid-back/", form)  # sent twice
    assert candidate_balance(late) == 0
    assert Payment.objects.filter(method=PaymentMethod.PAYOUT).count() == 1
    response = client.post(
        f"/billing/office/credits/{late.pk}/paid-back/", {"amount": "1.00", "idempotency_key": "k2"}
    )
    assert response.status_code == 302
    assert candidate_balance(late) == 0  # refused: no credit left
