"""Money that reads right (issue 19 item 6, decision 0034): the refund text says what the
ledger holds (what settled open fees, what is transferred, by when), and invoices, credit notes
and refund statements are PDFs with the issuer's block and any name in full Unicode."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from credence.billing.fund import refund_transfer
from credence.billing.models import (
    CreditNote,
    Invoice,
    NoticeKind,
    Refund,
    RefundNotice,
    RefundStatus,
)
from credence.billing.personal_data import export_user_files
from credence.billing.selectors import notice_text, refund_ledger
from credence.billing.tests.conftest import (
    PORTFOLIO,
    TEST,
    book,
    key,
    make_candidate,
    pay,
    result,
    top_up,
)
from credence.billing.tests.test_services import sound
from credence.exams.services import attempt_cancel

ISSUER = (
    "Example Certification Institute gGmbH (fictitious)",
    "Musterstraße 1",
    "10115 Berlin",
    "00/000/00000 (fictitious)",
    "DE89 3704 0044 0532 0130 00",
    "COBADEFFXXX",
)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(content: bytes) -> set[str]:
    """The base names of the fonts whose files the PDF carries (subset fonts: "ABCDEF+Name")."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    names.add(str(descriptor["/FontName"]).split("+")[-1])
    return names


@pytest.fixture
def eva(program):
    """Registered in the second 2026 cohort: the fund covers a quarter, she pays 150.00."""
    return make_candidate("eva", date(2026, 7, 2))


def sit(candidate, office, evaluation, held_on, score, *, paid: bool):
    attempt = book(candidate, "nlp", evaluation, held_on)
    if paid:
        pay(office, Invoice.objects.get(lines__attempt=attempt))
    return result(attempt, score, office, held_on)


def notice(kind: str) -> str:
    """The message the candidate reads on their page and gets by mail (after the commit)."""
    return notice_text(RefundNotice.objects.get(kind=kind))


def test_a_refund_of_fees_paid_is_transferred_in_full_and_says_by_when(client, office, eva):
    top_up(office, "1000.00")
    sit(eva, office, TEST, date(2026, 4, 1), "96", paid=True)
    sit(eva, office, PORTFOLIO, date(2026, 4, 20), "94", paid=True)

    refund = Refund.objects.get()
    assert refund.amount == D("300.00") and refund.status == RefundStatus.PAID
    ledger = refund_ledger(refund)
    assert (ledger.settled, ledger.to_transfer) == ((), D("300.00"))
    assert ledger.transfer_by == date(2026, 3, 24)  # paid 10 March, 14 days
    text = notice(NoticeKind.PAID)
    assert "refunds the 300.00 EUR you were charged" in text
    assert (
        "No fee of yours was open, so all of it, 300.00 EUR, is transferred to your bank "
        "account by March 24, 2026" in text
    )
    assert "owed" not in text and "settles" not in text

    client.force_login(eva)
    page = client.get("/billing/").content.decode()
    assert 'data-testid="refund-to-transfer">300.00 EUR by March 24, 2026' in page
    assert "refund-settled" not in page
    assert f'href="/billing/refunds/{refund.pk}.pdf"' in page

    statement = pdf_text(client.get(f"/billing/refunds/{refund.pk}.pdf").content)
    assert "To be transferred to your bank account by March 24, 2026" in statement
    assert "300.00 EUR" in statement and "Settles invoice" not in statement

    refund_transfer(refund=refund, acting_user=office, idempotency_key=key())
    assert "was transferred to your bank account on March 10, 2026" in notice(
        NoticeKind.TRANSFERRED
    )
    page = client.get("/billing/").content.decode()
    assert 'data-testid="refund-transferred">300.00 EUR on March 10, 2026' in page
    assert "refund-to-transfer" not in page
    statement = pdf_text(client.get(f"/billing/refunds/{refund.pk}.pdf").content)
    assert "Transferred to your bank account on March 10, 2026" in statement
    sound()


def test_a_refund_settles_only_the_fee_still_owed_and_transfers_the_rest(client, office, eva):
    top_up(office, "1000.00")
    sit(eva, office, TEST, date(2026, 4, 1), "96", paid=True)
    sit(eva, office, PORTFOLIO, date(2026, 4, 20), "94", paid=False)  # not yet paid

    refund = Refund.objects.get()
    second = Invoice.objects.order_by("id").last()
    ledger = refund_ledger(refund)
    assert ledger.settled == ((second.number, D("150.00")),)
    assert ledger.to_transfer == D("150.00")
    text = notice(NoticeKind.PAID)
    assert (
        f"150.00 EUR of it paid invoices that were still open when the refund was paid: "
        f"{second.number} (150.00 EUR). The other 150.00 EUR is transferred to your bank "
        "account by March 24, 2026" in text
    )

    client.force_login(eva)
    page = client.get("/billing/").content.decode()
    assert f'data-testid="refund-settled">{second.number}: 150.00 EUR' in page
    assert 'data-testid="refund-to-transfer">150.00 EUR by March 24, 2026' in page
    assert 'data-testid="owed">0.00 EUR' in page
    statement = pdf_text(client.get(f"/billing/refunds/{refund.pk}.pdf").content)
    assert f"Settles invoice {second.number}, which was still open" in statement
    assert "-150.00 EUR" in statement
    sound()


def test_a_refund_that_paid_every_open_fee_says_nothing_is_left(client, office, eva):
    top_up(office, "1000.00")
    sit(eva, office, TEST, date(2026, 4, 1), "96", paid=False)
    sit(eva, office, PORTFOLIO, date(2026, 4, 20), "94", paid=False)

    text = notice(NoticeKind.PAID)
    numbers = list(Invoice.objects.order_by("id").values_list("number", flat=True))
    assert (
        f"All of it paid invoices that were still open when the refund was paid: "
        f"{numbers[0]} (150.00 EUR), {numbers[1]} (150.00 EUR). Nothing is left to transfer."
        in text
    )
    client.force_login(eva)
    page = client.get("/billing/").content.decode()
    assert "nothing: all of it paid invoices that were still open" in page
    sound()


def test_the_invoice_pdf_carries_the_issuer_the_account_and_a_unicode_name(client, office):
    top_up(office, "500.00")
    candidate = make_candidate("lukasz", date(2026, 2, 1))
    candidate.full_name = "Łukasz Żółć"
    candidate.save(update_fields=["full_name"])
    book(candidate)
    invoice = Invoice.objects.get()

    client.force_login(candidate)
    content = client.get(f"/billing/invoices/{invoice.number}.pdf").content
    text = pdf_text(content)
    for value in (*ISSUER, "Łukasz Żółć", "Tax number: 00/000/00000 (fictitious)"):
        assert value in text, value
    assert "fictitious; do not pay into this account" in text
    assert "DE00" not in text
    fonts = embedded_fonts(content)
    assert fonts and all(name.startswith("DejaVuSans") for name in fonts), fonts


def test_the_invoice_pdf_reads_in_german(client, office, first_cohort):
    top_up(office, "500.00")
    book(first_cohort)
    client.force_login(first_cohort)
    number = Invoice.objects.get().number
    text = pdf_text(
        client.get(f"/billing/invoices/{number}.pdf", HTTP_ACCEPT_LANGUAGE="de").content
    )
    for value in ("Steuernummer: 00/000/00000", "Kontoinhaber", "Seite 1 von 1", "100,00 EUR"):
        assert value in text, value


def test_a_credit_note_is_a_pdf_linked_beside_its_invoice(client, office, program):
    top_up(office, "500.00")
    candidate = make_candidate("nguyen", date(2026, 2, 1))
    candidate.full_name = "Nguyễn Thị Minh Khai"
    candidate.save(update_fields=["full_name"])
    attempt = book(candidate, held_on=date(2026, 3, 31))
    attempt_cancel(attempt=attempt, acting_user=candidate)
    note = CreditNote.objects.get()

    client.force_login(candidate)
    page = client.get("/billing/").content.decode()
    url = f"/billing/credit-notes/{note.number}.pdf"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for value in (*ISSUER, "Nguyễn Thị Minh Khai", f"Credit note {note.number}"):
        assert value in text, value
    assert re.search(r"Credited to you\s*100\.00 EUR", text)
    assert "Subsidy returned to the program's fund" in text

    client.force_login(make_candidate("someone", date(2026, 2, 1)))
    assert client.get(url).status_code == 404
    client.force_login(office)
    assert client.get(url).status_code == 200


def test_only_the_refunded_candidate_and_the_office_read_a_refund_statement(client, office, eva):
    top_up(office, "1000.00")
    sit(eva, office, TEST, date(2026, 4, 1), "96", paid=True)
    sit(eva, office, PORTFOLIO, date(2026, 4, 20), "94", paid=True)
    url = f"/billing/refunds/{Refund.objects.get().pk}.pdf"
    client.force_login(make_candidate("someone", date(2026, 2, 1)))
    assert client.get(url).status_code == 404
    client.force_login(office)
    desk = client.get("/billing/office/").content.decode()
    assert f'href="{url}"' in desk  # beside the refund on the desk, with the day promised
    assert 'data-testid="transfer-by">by March 24, 2026' in desk
    text = pdf_text(client.get(url).content)
    assert "Excellence refund statement" in text and "Eva" in text


def test_the_data_export_carries_every_money_document(office, eva):
    top_up(office, "1000.00")
    sit(eva, office, TEST, date(2026, 4, 1), "96", paid=True)
    sit(eva, office, PORTFOLIO, date(2026, 4, 20), "94", paid=True)
    attempt_cancel(attempt=book(eva, "mlops", TEST, date(2026, 5, 4)), acting_user=eva)
    files = dict(export_user_files(eva))
    note, refund = CreditNote.objects.get(), Refund.objects.get()
    assert {name.split("/")[0] for name in files} == {"invoices", "credit-notes", "refunds"}
    assert f"Credit note {note.number}" in pdf_text(files[f"credit-notes/{note.number}.pdf"])
    assert "Excellence refund statement" in pdf_text(files[f"refunds/R9-{refund.pk}.pdf"])


def test_a_long_table_keeps_each_label_and_its_amount_on_one_page():
    from credence.billing.pdf import _Document
    from credence.catalog.api import rules_from_file

    doc = _Document(rules_from_file(), "Long")
    rows = [
        (f"Line {i} " + "with a long description " * (i % 4), f"{i}.00 EUR", "") for i in range(80)
    ]
    doc.table(("Description", "Amount"), rows)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(doc.output())).pages]
    assert len(pages) > 1
    for i in range(80):
        [page] = [p for p in pages if re.search(rf"Line {i}\b", p)]
        assert f"{i}.00 EUR" in page


def test_without_an_issuer_table_a_document_asks_the_office_for_the_account(minimal_rules):
    from credence.billing.pdf import _Document

    doc = _Document(minimal_rules, "No issuer")
    doc.letterhead()
    doc.bank_account("Please transfer the amount due.")
    text = pdf_text(doc.output())
    assert minimal_rules.issuer is None and minimal_rules.provider in text
    assert f"Ask {minimal_rules.contact_email} for the account to pay into." in text
    assert "IBAN" not in text


@pytest.fixture
def minimal_rules():
    from pathlib import Path

    from credence.catalog.api import rules_from_file

    return rules_from_file(Path(__file__).parents[2] / "catalog/tests/fixtures/minimal.toml")
