"""The printable certificate: a one-page PDF (fpdf2) with a QR code (segno) that opens the
certificate's public verification page.

fpdf2's built-in Helvetica covers Latin-1 (English and German); other characters are
transliterated where Unicode allows, so a PDF is always produced.
"""

from __future__ import annotations

import io
import unicodedata

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from credence.catalog import api as catalog_api
from credence.credentials import selectors
from credence.credentials.models import Certificate

# en and em dash, curly quotes, ellipsis
_REPLACEMENTS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
}


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


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def certificate_pdf(certificate: Certificate) -> bytes:
    rules = catalog_api.rules_for(certificate.program)
    award = selectors.describe_award(rules, certificate.award)
    url = selectors.verification_url(certificate.serial)
    holder = certificate.holder.full_name or certificate.holder.email

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(f"{award.name} - {holder}"))
    pdf.set_author(_latin1(rules.provider))
    pdf.set_subject(_latin1(url))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()

    def text(value: str, size: float, style: str = "", height: float = 7, **kw: object) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, _latin1(value), new_x="LMARGIN", new_y="NEXT", **kw)

    pdf.set_y(18)
    text(rules.provider, 11, align="C")
    text(rules.name, 11, align="C")
    pdf.ln(6)
    text(_("Certificate"), 30, "B", 13, align="C")
    pdf.ln(2)
    text(_("This certifies that"), 12, align="C")
    text(holder, 22, "B", 11, align="C")
    text(_("has been awarded"), 12, align="C")
    text(award.name, 17, "B", 9, align="C")
    pdf.ln(3)
    text(
        _("Issued %(issued)s · valid until %(until)s · serial %(serial)s")
        % {
            "issued": formats.date_format(certificate.issued_on),
            "until": formats.date_format(certificate.valid_until),
            "serial": certificate.serial,
        },
        11,
        align="C",
    )
    pdf.ln(4)

    top = pdf.get_y()
    column = (pdf.w - pdf.l_margin - pdf.r_margin - 60) / 2
    for offset, heading, items in (
        (0, _("What it proves"), award.proves),
        (column + 4, _("What it does not prove"), award.does_not_prove),
    ):
        pdf.set_xy(pdf.l_margin + offset, top)
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(column, 6, _latin1(heading), new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        for item in items:
            pdf.set_x(pdf.l_margin + offset)
            pdf.multi_cell(column, 4.6, _latin1(f"- {item}"), align="L", new_x="LEFT", new_y="NEXT")

    size = 46
    x = pdf.w - pdf.r_margin - size
    pdf.image(io.BytesIO(qr_png(url)), x=x, y=top, w=size, h=size, link=url)
    pdf.set_xy(x - 10, top + size + 1)
    pdf.set_font("Helvetica", size=7)
    pdf.multi_cell(size + 10, 3.5, _latin1(_("Scan to verify")), align="C")

    pdf.set_xy(pdf.l_margin, pdf.h - 20)
    pdf.set_font("Helvetica", size=8)
    pdf.cell(
        0,
        4,
        _latin1(_("Verify this certificate: %(url)s") % {"url": url}),
        link=url,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        4,
        _latin1(
            _(
                "A signed Open Badges 3.0 credential for it can be verified offline with any "
                "Data Integrity verifier."
            )
        ),
    )
    return bytes(pdf.output())
