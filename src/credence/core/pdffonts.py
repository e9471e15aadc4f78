"""Unicode fonts for the platform's PDFs (certificates, invoices, credit notes).

fpdf2's built-in fonts cover Latin-1 only, so "Łukasz Żółć" or "Nguyễn" would be mangled. The
DejaVu families cover Latin, Greek, Cyrillic and Vietnamese; matplotlib (a dependency for the
psychometric plots) ships them with their licence, so no font file is vendored here. fpdf2
embeds only the glyphs a document uses (subsetting), which keeps each PDF small.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

SANS = "DejaVuSans"
SERIF = "DejaVuSerif"

_DIRECTORY = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FILES = {
    SANS: {"": "DejaVuSans", "B": "DejaVuSans-Bold", "I": "DejaVuSans-Oblique"},
    SERIF: {"": "DejaVuSerif", "B": "DejaVuSerif-Bold", "I": "DejaVuSerif-Italic"},
}


def font_path(family: str, style: str = "") -> Path:
    """The TrueType file of ``family`` in ``style`` ("", "B" or "I"), for drawing the same
    letters outside a PDF (the certificate's images, with Pillow)."""
    return _DIRECTORY / f"{_FILES[family][style]}.ttf"


def add_unicode_fonts(pdf: FPDF) -> None:
    """Register the sans and serif families (regular, bold, italic) on ``pdf``; use them by
    ``pdf.set_font(SANS, style=..., size=...)``."""
    for family, styles in _FILES.items():
        for style in styles:
            pdf.add_font(family, style=style, fname=font_path(family, style))
