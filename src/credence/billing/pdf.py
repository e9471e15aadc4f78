"""Invoices as PDF, made with fpdf2 (pure pip, no system libraries).

fpdf2's built-in Helvetica covers Latin-1, which holds every character of English and German
text; anything outside it (a name in another script) is transliterated where Unicode allows
and replaced otherwise, so a PDF is always produced. Amounts print with the currency code.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from credence.billing.models import Invoice
from credence.billing.selectors import invoice_view
from credence.catalog import api as catalog_api

# Dashes (en, em) and the euro sign have no Latin-1 code; everything else unknown becomes "?".
_REPLACEMENTS = {"\u2013": "-", "\u2014": "-", "\u20ac": "EUR"}


def _latin1(text: str) -> str:
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(plain or _REPLACEMENTS.get(char, "?"))
    return "".join(out)


def _amount(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def invoice_pdf(invoice: Invoice) -> bytes:
    program = catalog_api.program_rules()
    view = invoice_view(invoice)
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{_('Invoice')} {invoice.number}"))
    pdf.set_author(_latin1(program.provider or program.name))
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=20)

    def text(value: str, size: int = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    text(program.provider or program.name, 9)
    text(program.name, 9)
    if program.contact_email:
        text(program.contact_email, 9)
    pdf.ln(6)
    candidate = invoice.candidate
    text(candidate.full_name or candidate.email, 11)
    text(candidate.email, 9)
    pdf.ln(6)
    text(f"{_('Invoice')} {invoice.number}", 16, "B", 8)
    text(
        _("Date: %(date)s · Payment reference: %(reference)s")
        % {"date": formats.date_format(invoice.issued_on), "reference": invoice.number}
    )
    pdf.ln(4)

    widths = (120, 0)
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(widths[0], 7, _latin1(_("Description")), border="B")
    pdf.cell(
        widths[1], 7, _latin1(_("Amount")), border="B", align="R", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", size=10)

    def row(label: str, value: str, style: str = "") -> None:
        pdf.set_font("Helvetica", style=style, size=10)
        pdf.cell(widths[0], 7, _latin1(label))
        pdf.cell(widths[1], 7, _latin1(value), align="R", new_x="LMARGIN", new_y="NEXT")

    for line in invoice.lines.all():
        row(line.description, _amount(line.fee, invoice.currency))
    if invoice.subsidy:
        share = sum((line.subsidy_share for line in invoice.lines.all()), Decimal(0))
        row(
            _("Subsidy from the program's fund (cohort %(cohort)s, %(share)s%% of the fee)")
            % {"cohort": invoice.cohort_code, "share": f"{share * 100:.0f}"},
            _amount(-invoice.subsidy, invoice.currency),
        )
    for note in invoice.credit_notes.all():
        row(
            _("Credit note %(number)s of %(date)s")
            % {"number": note.number, "date": formats.date_format(note.issued_on)},
            _amount(-(note.fee - note.subsidy), invoice.currency),
        )
    row(_("Amount due"), _amount(view.due, invoice.currency), "B")
    if view.paid:
        row(_("Paid"), _amount(view.paid, invoice.currency))
        row(_("Outstanding"), _amount(view.outstanding, invoice.currency), "B")
    pdf.ln(4)
    if invoice.subsidy_note:
        text(invoice.subsidy_note, 9)
    if invoice.vat_treatment == "exempt":
        text(settings.CREDENCE_VAT_EXEMPT_NOTE, 9)
    else:
        text(
            _("The fee includes %(vat)s VAT at %(rate)s%%.")
            % {"vat": _amount(invoice.vat, invoice.currency), "rate": invoice.vat_rate},
            9,
        )
    pdf.ln(2)
    text(
        _(
            "Please transfer the amount due to the account below, quoting the payment "
            "reference %(reference)s. Your booking is confirmed when the payment arrives."
        )
        % {"reference": invoice.number},
        9,
    )
    text(settings.CREDENCE_BANK_DETAILS, 9)
    return bytes(pdf.output())
