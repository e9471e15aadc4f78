"""The diagnostic score report as PDF (decision 0044), made with fpdf2 like the invoices
(billing/pdf.py): DejaVu Sans embedded and subset (``core.pdffonts``), so every name reads as
written; dates in the active language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from credence.core.pdffonts import SANS, add_unicode_fonts
from credence.exams.reports.selectors import DiagnosticReport

_GREY = (90, 90, 90)
_BLACK = (0, 0, 0)


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _number(value: Decimal | float) -> str:
    return formats.number_format(value, use_l10n=True)


def _text(pdf: FPDF, value: str, size: float = 10, style: str = "", height: float = 5) -> None:
    pdf.set_font(SANS, style=style, size=size)
    pdf.multi_cell(0, height, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _row(pdf: FPDF, widths: tuple[float, ...], cells: tuple[str, ...], style: str = "") -> None:
    """One table row; the first cell wraps, the row stays together on one page."""
    pdf.set_font(SANS, style=style, size=9)
    # fpdf2 types multi_cell's result as every shape its output= can ask for.
    lines = cast(list[str], pdf.multi_cell(widths[0], 5, cells[0], dry_run=True, output="LINES"))
    height = 5 * max(1, len(lines))
    if pdf.will_page_break(height):
        pdf.add_page()
    y = pdf.get_y()
    pdf.multi_cell(widths[0], 5, cells[0], align="L", border="B" if style else 0)
    x = pdf.l_margin + widths[0]
    for width, cell in zip(widths[1:], cells[1:], strict=True):
        pdf.set_xy(x, y)
        pdf.multi_cell(width, 5, cell, align="L", border="B" if style else 0)
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def diagnostic_pdf(report: DiagnosticReport) -> bytes:
    title = _("Diagnostic score report")
    pdf = FPDF(format="A4")
    add_unicode_fonts(pdf)
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    _text(pdf, title, 16, "B", 8)
    _text(
        pdf,
        f"{report.certification} · {report.evaluation} · {_day(report.held_on)}",
        10,
    )
    _text(pdf, report.candidate, 10)
    pdf.ln(4)

    for label, value in (
        (_("Your score"), f"{_number(report.total)} %"),
        *(
            ((_("Marks earned on your form"), f"{_number(report.raw)} %"),)
            if report.raw is not None
            else ()
        ),
        (_("Pass mark (rule R4)"), f"{_number(report.cut)} %"),
        (_("Result"), str(report.status.label)),
        (_("Released on"), _day(report.released_on)),
    ):
        pdf.set_font(SANS, style="B", size=10)
        pdf.cell(60, 6, label)
        pdf.set_font(SANS, size=10)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    _text(pdf, _("By domain"), 12, "B", 7)
    widths = (58.0, 18.0, 30.0, 18.0, pdf.epw - 124.0)
    _row(
        pdf,
        widths,
        (_("Domain"), _("Score"), _("Band"), _("Reliability"), _("Against the standard")),
        "B",
    )
    for domain in report.domains:
        d = domain.report
        _row(
            pdf,
            widths,
            (
                f"{domain.name} ({d.items})",
                f"{_number(d.percent)} %",
                _("%(low)s to %(high)s %%") % {"low": _number(d.low), "high": _number(d.high)},
                "" if d.reliability is None else _number(round(d.reliability, 2)),
                f"{d.standing.label}: {d.why}",
            ),
        )
    pdf.ln(4)

    if report.retake is not None:
        _text(pdf, _("Your next attempt"), 12, "B", 7)
        _text(pdf, retake_sentence(report))
        pdf.ln(3)

    if report.weakest:
        _text(pdf, _("Where to prepare"), 12, "B", 7)
        for weak in report.weakest:
            _text(pdf, f"{weak.name} ({_number(weak.percent)} %)", 10, "B")
            if not weak.resources:
                _text(pdf, _("No preparation resource is published for this domain yet."), 9)
            for resource in weak.resources:
                parts = [resource.title, resource.kind, resource.provider]
                if resource.starts_on:
                    parts.append(_day(resource.starts_on))
                _text(pdf, " · ".join(p for p in parts if p), 9)
                if resource.url:
                    pdf.set_text_color(*_GREY)
                    _text(pdf, resource.url, 8, height=4)
                    pdf.set_text_color(*_BLACK)
        pdf.ln(3)

    pdf.set_text_color(*_GREY)
    _text(pdf, method_note(report), 8, height=4)
    return bytes(pdf.output())


def retake_sentence(report: DiagnosticReport) -> str:
    """R1-R3's answer for the next attempt, as the page and the PDF put it."""
    decision = report.retake
    if decision is None:
        return ""
    if decision.allowed:
        return _("You may book your next attempt now.")
    sentence = f"{_('Rule %(rule)s') % {'rule': decision.rule}}: {decision.reason}"
    if decision.earliest is not None:
        sentence += " " + _("Earliest: %(day)s") % {"day": _day(decision.earliest)}
    return sentence


def method_note(report: DiagnosticReport) -> str:
    return _(
        "How to read this report: a domain's score is the percent of its marks you earned; the "
        "band around it is where it would lie on about two of three forms like yours (Wilson "
        "interval, %(z)s standard error). A domain is placed against the standard only when "
        "its reliability (KR-21 over at least %(group)d candidates) is at least %(limit)s; "
        "the pass and fail decision rests on your whole score alone."
    ) % {
        "z": formats.number_format(report.z, decimal_pos=1, use_l10n=True),
        "group": report.min_group,
        "limit": formats.number_format(report.min_reliability, decimal_pos=2, use_l10n=True),
    }
