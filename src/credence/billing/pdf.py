"""Invoices, credit notes and refund statements as PDF, made with fpdf2 (pure pip).

Text is set in DejaVu Sans (``core.pdffonts``), embedded and subset, so a holder named
"Łukasz Żółć" or "Nguyễn" reads as written. Every document carries the issuer's block from the
program in force (the program file's ``[issuer]`` table, decision 0034): legal name, address,
tax number, and the account candidates pay into. Amounts and dates read as the active
language writes them (``core.l10n``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from credence.billing.models import CreditNote, Invoice, InvoiceLine, Refund
from credence.billing.policy import ZERO
from credence.billing.selectors import invoice_view, refund_ledger
from credence.catalog import api as catalog_api
from credence.catalog.policy import IssuerSpec, ProgramRules
from credence.core.l10n import money
from credence.core.pdffonts import SANS, add_unicode_fonts

_GREY = (90, 90, 90)
_BLACK = (0, 0, 0)


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


class _Document:
    """One A4 page (or more) with the issuer's letterhead, the recipient, a title and a table
    of amounts; the issuer's legal footer on every page."""

    def __init__(self, program: ProgramRules, title: str) -> None:
        self.program = program
        self.issuer: IssuerSpec | None = program.issuer
        pdf = FPDF(format="A4")
        add_unicode_fonts(pdf)
        pdf.set_title(title)
        pdf.set_author(self.issuer.legal_name if self.issuer else program.provider or program.name)
        pdf.set_auto_page_break(auto=True, margin=28)
        pdf.footer = self._footer  # type: ignore[method-assign]
        pdf.add_page()
        self.pdf = pdf

    def text(self, value: str, size: float = 10, style: str = "", height: float = 5) -> None:
        self.pdf.set_font(SANS, style=style, size=size)
        self.pdf.multi_cell(0, height, value, align="L", new_x="LMARGIN", new_y="NEXT")

    def letterhead(self) -> None:
        """The issuer: who sends the document and must be named on it (section 14 UStG)."""
        issuer, program = self.issuer, self.program
        if issuer is None:
            # a program file without [issuer]: the provider, and where to ask
            self.text(program.provider or program.name, 12, "B", 6)
        else:
            self.text(issuer.legal_name, 12, "B", 6)
            for line in issuer.address:
                self.text(line, 9, height=4.5)
            self.text(_("Tax number: %(number)s") % {"number": issuer.tax_number}, 9, height=4.5)
            if issuer.vat_id:
                self.text(_("VAT ID: %(number)s") % {"number": issuer.vat_id}, 9, height=4.5)
        self.text(program.name, 9, height=4.5)
        if program.contact_email:
            self.text(program.contact_email, 9, height=4.5)
        self.pdf.ln(8)

    def recipient(self, person: Any) -> None:
        self.text(person.full_name or person.email, 11, height=5.5)
        self.text(person.email, 9)
        self.pdf.ln(8)

    def title(self, value: str, subtitle: str) -> None:
        self.text(value, 16, "B", 8)
        self.text(subtitle)
        self.pdf.ln(4)

    def table(self, head: tuple[str, str], rows: list[tuple[str, str, str]]) -> None:
        """Rows of (label, amount, style); the label wraps, the amount stays on its line."""
        pdf = self.pdf
        label_width = pdf.epw - 45
        pdf.set_font(SANS, style="B", size=10)
        pdf.cell(label_width, 7, head[0], border="B")
        pdf.cell(45, 7, head[1], border="B", align="R", new_x="LMARGIN", new_y="NEXT")
        for label, amount, style in rows:
            pdf.set_font(SANS, style=style, size=10)
            # fpdf2 types multi_cell's result as every shape its output= can ask for.
            lines = cast(
                list[str], pdf.multi_cell(label_width, 6, label, dry_run=True, output="LINES")
            )
            if pdf.will_page_break(6 * len(lines)):
                pdf.add_page()  # a row and its amount stay together on one page
            y = pdf.get_y()
            pdf.multi_cell(label_width, 6, label, align="L")
            pdf.set_xy(pdf.l_margin + label_width, y)
            pdf.cell(45, 6, amount, align="R")
            pdf.set_xy(pdf.l_margin, y + 6 * len(lines))
        pdf.ln(3)

    def bank_account(self, request: str) -> None:
        """Where to pay: the issuer's account, or whom to ask when the program names none."""
        self.text(request, 9)
        issuer = self.issuer
        if issuer is None:
            self.text(
                _("Ask %(email)s for the account to pay into.")
                % {"email": self.program.contact_email},
                9,
            )
            return
        self.pdf.ln(1)
        for label, value in (
            (_("Account holder"), issuer.legal_name),
            (_("IBAN"), issuer.iban_grouped),
            (_("BIC"), issuer.bic),
            (_("Bank"), issuer.bank_name),
        ):
            self.pdf.set_font(SANS, style="B", size=9)
            self.pdf.cell(32, 5, label)
            self.pdf.set_font(SANS, size=9)
            self.pdf.cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")

    def _footer(self) -> None:
        pdf = self.pdf
        pdf.set_y(-24)
        pdf.set_text_color(*_GREY)
        issuer = self.issuer
        if issuer is not None:
            if issuer.note:
                pdf.set_font(SANS, style="I", size=8)
                pdf.multi_cell(0, 4, issuer.note, align="C", new_x="LMARGIN", new_y="NEXT")
            parts = [issuer.legal_name, *issuer.address]
            pdf.set_font(SANS, size=7.5)
            pdf.multi_cell(0, 3.5, " · ".join(parts), align="C", new_x="LMARGIN", new_y="NEXT")
            legal = [_("Tax number: %(number)s") % {"number": issuer.tax_number}]
            if issuer.vat_id:
                legal.append(_("VAT ID: %(number)s") % {"number": issuer.vat_id})
            legal.append(f"IBAN {issuer.iban_grouped} · BIC {issuer.bic}")
            pdf.multi_cell(0, 3.5, " · ".join(legal), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(SANS, size=7.5)
        pdf.cell(
            0,
            4,
            _("Page %(page)s of %(pages)s") % {"page": pdf.page_no(), "pages": "{nb}"},
            align="C",
        )
        pdf.set_text_color(*_BLACK)

    def vat_note(self, treatment: str, vat: Decimal, rate: Decimal, currency: str) -> None:
        if treatment == "exempt":
            self.text(settings.CREDENCE_VAT_EXEMPT_NOTE, 9)
        else:
            self.text(
                _("The fee includes %(vat)s VAT at %(rate)s%%.")
                % {"vat": money(vat, currency), "rate": rate},
                9,
            )

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _line_text(line: InvoiceLine) -> str:
    """What was invoiced, in the reader's language and date format (the stored description
    is the invoice's record, with an ISO date)."""
    attempt = line.attempt
    return f"{attempt.certification.name} · {attempt.evaluation.name} · {_day(attempt.held_on)}"


def _cohort_name(code: str) -> str:
    return next((c.name for c in catalog_api.program_rules().cohorts if c.code == code), code)


def _document(title: str) -> _Document:
    return _Document(catalog_api.program_rules(), title)


def invoice_pdf(invoice: Invoice) -> bytes:
    view = invoice_view(invoice)
    currency = invoice.currency
    title = f"{_('Invoice')} {invoice.number}"
    doc = _document(title)
    doc.letterhead()
    doc.recipient(invoice.candidate)
    doc.title(
        title,
        _("Date: %(date)s · Payment reference: %(reference)s")
        % {"date": _day(invoice.issued_on), "reference": invoice.number},
    )
    lines = list(invoice.lines.select_related("attempt__certification", "attempt__evaluation"))
    rows = [(_line_text(line), money(line.fee, currency), "") for line in lines]
    if invoice.subsidy:
        share = sum((line.subsidy_share for line in lines), Decimal(0))
        rows.append(
            (
                _("Subsidy from the program's fund (%(cohort)s, %(share)s%% of the fee)")
                % {"cohort": _cohort_name(invoice.cohort_code), "share": f"{share * 100:.0f}"},
                money(-invoice.subsidy, currency),
                "",
            )
        )
    for note in invoice.credit_notes.all():
        rows.append(
            (
                _("Credit note %(number)s of %(date)s")
                % {"number": note.number, "date": _day(note.issued_on)},
                money(-note.candidate_share, currency),
                "",
            )
        )
    rows.append((_("Amount due"), money(view.due, currency), "B"))
    if view.paid:
        rows.append((_("Paid"), money(view.paid, currency), ""))
        rows.append((_("Outstanding"), money(view.outstanding, currency), "B"))
    doc.table((_("Description"), _("Amount")), rows)
    if invoice.subsidy_note:
        doc.text(invoice.subsidy_note, 9)
    doc.vat_note(invoice.vat_treatment, invoice.vat, invoice.vat_rate, currency)
    doc.pdf.ln(2)
    if view.outstanding:
        doc.bank_account(
            _(
                "Please transfer the amount due to the account below, quoting the payment "
                "reference %(reference)s. Your booking is confirmed when the payment arrives."
            )
            % {"reference": invoice.number}
        )
    else:
        doc.text(_("Nothing is outstanding on this invoice."), 9)
    return doc.output()


def credit_note_pdf(note: CreditNote) -> bytes:
    """A cancellation's credit note: the fee credited in full, the subsidy back to the fund."""
    invoice = note.invoice
    currency = invoice.currency
    title = f"{_('Credit note')} {note.number}"
    doc = _document(title)
    doc.letterhead()
    doc.recipient(invoice.candidate)
    doc.title(
        title,
        _("Date: %(date)s · Credits invoice %(invoice)s of %(invoice_date)s")
        % {
            "date": _day(note.issued_on),
            "invoice": invoice.number,
            "invoice_date": _day(invoice.issued_on),
        },
    )
    rows = [(_line_text(note.line), money(-note.fee, currency), "")]
    if note.subsidy:
        rows.append(
            (
                _("Subsidy returned to the program's fund"),
                money(note.subsidy, currency),
                "",
            )
        )
    rows.append((_("Credited to you"), money(note.candidate_share, currency), "B"))
    doc.table((_("Description"), _("Amount")), rows)
    doc.text(note.reason, 9)
    doc.vat_note(invoice.vat_treatment, invoice.vat, invoice.vat_rate, currency)
    doc.pdf.ln(2)
    doc.text(
        _(
            "If you had paid the invoice, the credited amount is yours: it settles your next "
            "open invoice, or the program office transfers it back to you."
        ),
        9,
    )
    return doc.output()


def refund_statement_pdf(refund: Refund) -> bytes:
    """An excellence refund (R9) as the ledger holds it: paid from the fund, the open invoices
    it settled, what was or will be transferred, and when."""
    ledger = refund_ledger(refund)
    currency = refund.currency
    title = _("Excellence refund statement")
    doc = _document(title)
    doc.letterhead()
    doc.recipient(refund.candidate)
    doc.title(
        title,
        _("%(certification)s · Reference R9-%(id)s")
        % {"certification": refund.certification.name, "id": refund.pk},
    )
    paid = (
        _("Paid from the subsidy fund on %(date)s") % {"date": _day(ledger.paid_on)}
        if ledger.paid_on
        else _("Waiting for the subsidy fund")
    )
    rows = [
        (
            _("Excellence refund: scores over 90 in both evaluations (rule R9)"),
            money(refund.amount, currency),
            "B",
        ),
        (paid, "", ""),
    ]
    rows += [
        (
            _("Settles invoice %(invoice)s, which was still open") % {"invoice": number},
            money(-amount, currency),
            "",
        )
        for number, amount in ledger.settled
    ]
    if ledger.transferred:
        assert ledger.transferred_on is not None  # the day of the last transfer
        rows.append(
            (
                _("Transferred to your bank account on %(date)s")
                % {"date": _day(ledger.transferred_on)},
                money(-ledger.transferred, currency),
                "",
            )
        )
    if ledger.to_transfer:
        assert ledger.transfer_by is not None  # set while some of a paid refund is owed
        rows.append(
            (
                _("To be transferred to your bank account by %(date)s")
                % {"date": _day(ledger.transfer_by)},
                money(ledger.to_transfer, currency),
                "B",
            )
        )
    elif ledger.paid_on and not ledger.transferred:
        rows.append(
            (_("Left to transfer: all of it settled open invoices"), money(ZERO, currency), "B")
        )
    doc.table((_("Description"), _("Amount")), rows)
    doc.text(
        _(
            "The excellence refund is paid by the program's subsidy fund; it does not change "
            "the invoices' fees or VAT."
        ),
        9,
    )
    return doc.output()
