import io

from fpdf import FPDF
from pypdf import PdfReader

from credence.core.pdffonts import SANS, SERIF, add_unicode_fonts

NAMES = "Łukasz Żółć · Nguyễn Thị Ánh · Jürgen Groß"


def test_names_beyond_latin_1_come_back_out_of_the_pdf_unchanged():
    pdf = FPDF()
    add_unicode_fonts(pdf)
    pdf.add_page()
    for family in (SANS, SERIF):
        for style in ("", "B", "I"):
            pdf.set_font(family, style=style, size=12)
            pdf.cell(text=NAMES, new_x="LMARGIN", new_y="NEXT")
    text = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()
    assert text.count(NAMES) == 6
