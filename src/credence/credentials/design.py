"""The certificate's design, drawn once and rendered twice: as a PDF (fpdf2) and as an image
(Pillow). Pure: no ORM, no request; the caller passes ``CertificateFacts`` with every text
already translated and formatted (docs/decisions/0032).

Everything is drawn through a small ``Canvas`` (rectangles, polygons, circles, lines, text on
its baseline, a QR code) in millimetre-like design units, so the seal, the frame and the
lettering look the same in the PDF, in the image for social posts and in the baked badge.
The letters are DejaVu in both (``credence.core.pdffonts``): any name prints as written.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Protocol

import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from credence.core.pdffonts import SANS, SERIF, add_unicode_fonts, font_path

Colour = tuple[int, int, int]
Point = tuple[float, float]

# The site's brand blue (site.css --brand, --brand-dark) with a warm gold for the seal.
NAVY: Colour = (11, 79, 138)
NAVY_DARK: Colour = (8, 58, 102)
GOLD: Colour = (176, 136, 52)
GOLD_LIGHT: Colour = (222, 196, 136)
INK: Colour = (27, 31, 36)
MUTED: Colour = (74, 83, 97)
PAPER: Colour = (253, 251, 246)
PANEL: Colour = (244, 239, 226)
WHITE: Colour = (255, 255, 255)

PT = 25.4 / 72  # design units (mm) per typographic point

# Open Badges 3.0, "Baking": an SVG carries the credential in an <openbadges:credential>
# element of this namespace.
OPENBADGES_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"


@dataclass(frozen=True)
class Font:
    family: str  # pdffonts.SANS or pdffonts.SERIF
    style: str = ""  # "", "B" or "I"
    size: float = 10.0  # points


@dataclass(frozen=True)
class Column:
    """One column of the certificate's evidence panel: a heading and its entries."""

    heading: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class CertificateFacts:
    """Everything the certificate says, as the reader will see it (translated, dates
    formatted in the reader's language)."""

    program: str
    provider: str
    award: str
    holder: str
    serial: str
    url: str
    language: str
    title: str  # "Certificate"
    certifies: str  # "This certifies that"
    awarded: str  # "has been awarded the certification"
    serial_label: str
    dates: tuple[tuple[str, str], ...]  # (label, value): issued on, valid until
    columns: tuple[Column, ...] = ()  # evidence, what it proves, what it does not prove
    signature_role: str = ""  # under the signature line: "For the program office"
    signature_note: str = ""  # "Digitally signed by did:web:…"
    verify_label: str = ""  # "Scan or open to verify"
    seal_top: str = ""  # around the seal's upper edge
    seal_bottom: str = ""  # around its lower edge
    badge_label: str = ""  # the award's short name, in the badge's centre


def short_name(name: str) -> str:
    """The short form a long certification name carries in parentheses ("… (ML Expert)"),
    else the name."""
    match = re.search(r"\(([^()]+)\)\s*$", name)
    return match.group(1) if match else name


class Canvas(Protocol):
    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None: ...

    def polygon(
        self,
        points: Sequence[Point],
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None: ...

    def circle(
        self,
        cx: float,
        cy: float,
        r: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None: ...

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, colour: Colour, width: float
    ) -> None: ...

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: Font,
        colour: Colour,
        *,
        align: str = "L",
        spacing: float = 0.0,
        angle: float = 0.0,
        link: str | None = None,
    ) -> None:
        """``text`` with its baseline at ``y``, starting (L), centred (C) or ending (R) at
        ``x``; ``spacing`` between letters; ``angle`` clockwise in degrees around (x, y)."""

    def width(self, text: str, font: Font, spacing: float = 0.0) -> float: ...

    def qr(self, x: float, y: float, size: float, url: str) -> None: ...


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="png", scale=scale, border=2, dark="#083a66", light="#ffffff"
    )
    return buffer.getvalue()


# --- the PDF ---------------------------------------------------------------------------


class PdfCanvas:
    """Draws on one fpdf2 page in millimetres."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def _style(self, fill: Colour | None, stroke: Colour | None, width: float) -> str:
        if fill is not None:
            self.pdf.set_fill_color(*fill)
        if stroke is not None:
            self.pdf.set_draw_color(*stroke)
            self.pdf.set_line_width(width)
        return ("F" if fill is not None else "") + ("D" if stroke is not None else "")

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        self.pdf.rect(x, y, w, h, style=self._style(fill, stroke, width))

    def polygon(
        self,
        points: Sequence[Point],
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        self.pdf.polygon(list(points), style=self._style(fill, stroke, width))

    def circle(
        self,
        cx: float,
        cy: float,
        r: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        self.pdf.circle(cx, cy, r, style=self._style(fill, stroke, width))

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, colour: Colour, width: float
    ) -> None:
        self._style(None, colour, width)
        self.pdf.line(x1, y1, x2, y2)

    def _font(self, font: Font) -> None:
        self.pdf.set_font(font.family, style=font.style, size=font.size)

    def width(self, text: str, font: Font, spacing: float = 0.0) -> float:
        self._font(font)
        self.pdf.set_char_spacing(0)
        return self.pdf.get_string_width(text) + spacing * max(len(text) - 1, 0)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: Font,
        colour: Colour,
        *,
        align: str = "L",
        spacing: float = 0.0,
        angle: float = 0.0,
        link: str | None = None,
    ) -> None:
        width = self.width(text, font, spacing)
        left = {"L": x, "C": x - width / 2, "R": x - width}[align]
        self.pdf.set_text_color(*colour)
        # fpdf2 writes the spacing as the PDF's Tc, which is in points, not in the page's unit
        self.pdf.set_char_spacing(spacing * self.pdf.k)
        if angle:
            with self.pdf.rotation(-angle, x, y):
                self.pdf.text(left, y, text)
        else:
            self.pdf.text(left, y, text)
        self.pdf.set_char_spacing(0)
        if link:
            height = font.size * PT
            self.pdf.link(left, y - height * 0.8, width, height, link)

    def qr(self, x: float, y: float, size: float, url: str) -> None:
        self.pdf.image(io.BytesIO(qr_png(url)), x=x, y=y, w=size, h=size, link=url)


# --- the image ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _truetype(family: str, style: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(family, style)), pixels)


class ImageCanvas:
    """Draws on a Pillow image of ``width`` by ``height`` design units at ``scale`` pixels a
    unit. Shapes are drawn at twice the size and scaled down, which smooths their edges."""

    SUPERSAMPLE = 2

    def __init__(
        self, width: float, height: float, scale: float, background: Colour | None = PAPER
    ) -> None:
        self.size = (round(width * scale), round(height * scale))
        self.k = scale * self.SUPERSAMPLE
        fill = (*background, 255) if background else (0, 0, 0, 0)
        self.image = Image.new("RGBA", (round(width * self.k), round(height * self.k)), fill)
        self.draw = ImageDraw.Draw(self.image)

    def _p(self, value: float) -> float:
        return value * self.k

    def _w(self, width: float) -> int:
        return max(1, round(width * self.k))

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        box = (self._p(x), self._p(y), self._p(x + w), self._p(y + h))
        self.draw.rectangle(box, fill=fill, outline=stroke, width=self._w(width) if stroke else 0)

    def polygon(
        self,
        points: Sequence[Point],
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        scaled = [(self._p(px), self._p(py)) for px, py in points]
        self.draw.polygon(scaled, fill=fill, outline=stroke, width=self._w(width) if stroke else 0)

    def circle(
        self,
        cx: float,
        cy: float,
        r: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        box = (self._p(cx - r), self._p(cy - r), self._p(cx + r), self._p(cy + r))
        self.draw.ellipse(box, fill=fill, outline=stroke, width=self._w(width) if stroke else 0)

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, colour: Colour, width: float
    ) -> None:
        ends = [(self._p(x1), self._p(y1)), (self._p(x2), self._p(y2))]
        self.draw.line(ends, fill=colour, width=self._w(width))

    def _font(self, font: Font) -> ImageFont.FreeTypeFont:
        return _truetype(font.family, font.style, max(1, round(font.size * PT * self.k)))

    def width(self, text: str, font: Font, spacing: float = 0.0) -> float:
        return self._font(font).getlength(text) / self.k + spacing * max(len(text) - 1, 0)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: Font,
        colour: Colour,
        *,
        align: str = "L",
        spacing: float = 0.0,
        angle: float = 0.0,
        link: str | None = None,
    ) -> None:
        face = self._font(font)
        if angle:
            # one glyph (or a short run) turned about its baseline's centre
            side = round(face.size * 4 + face.getlength(text))
            tile = Image.new("RGBA", (side, side), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text(
                (side / 2, side / 2), text, font=face, fill=colour, anchor="ms"
            )
            tile = tile.rotate(
                -angle, resample=Image.Resampling.BICUBIC, center=(side / 2, side / 2)
            )
            self.image.alpha_composite(
                tile, (round(self._p(x) - side / 2), round(self._p(y) - side / 2))
            )
            return
        width = self.width(text, font, spacing)
        left = {"L": x, "C": x - width / 2, "R": x - width}[align]
        if not spacing:
            self.draw.text((self._p(left), self._p(y)), text, font=face, fill=colour, anchor="ls")
            return
        cursor = self._p(left)
        for char in text:
            self.draw.text((cursor, self._p(y)), char, font=face, fill=colour, anchor="ls")
            cursor += face.getlength(char) + spacing * self.k

    def qr(self, x: float, y: float, size: float, url: str) -> None:
        code = Image.open(io.BytesIO(qr_png(url, scale=1))).convert("RGBA")
        side = round(size * self.k)
        self.image.alpha_composite(
            code.resize((side, side), Image.Resampling.NEAREST),
            (round(self._p(x)), round(self._p(y))),
        )

    def png(self, *, keep_alpha: bool = False) -> Image.Image:
        image = self.image.resize(self.size, Image.Resampling.LANCZOS)
        return image if keep_alpha else image.convert("RGB")


class SvgCanvas:
    """Writes SVG elements in design units (the viewBox). Text is measured with the same
    DejaVu files as the image and set with ``text-anchor``, so it stays centred or aligned
    even where a viewer substitutes another font for DejaVu."""

    _FAMILIES = {SANS: "'DejaVu Sans', Verdana, sans-serif", SERIF: "'DejaVu Serif', serif"}
    _MEASURE = 100  # pixels an em when measuring

    def __init__(self, width: float, height: float) -> None:
        self.width_units, self.height_units = width, height
        self.elements: list[str] = []

    @staticmethod
    def _colour(colour: Colour | None) -> str:
        return "none" if colour is None else "#{:02x}{:02x}{:02x}".format(*colour)

    def _paint(self, fill: Colour | None, stroke: Colour | None, width: float) -> str:
        paint = f'fill="{self._colour(fill)}"'
        if stroke is not None:
            paint += f' stroke="{self._colour(stroke)}" stroke-width="{width:.3f}"'
        return paint

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        self.elements.append(
            f'<rect x="{x:.3f}" y="{y:.3f}" width="{w:.3f}" height="{h:.3f}" '
            f"{self._paint(fill, stroke, width)}/>"
        )

    def polygon(
        self,
        points: Sequence[Point],
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        listed = " ".join(f"{px:.3f},{py:.3f}" for px, py in points)
        self.elements.append(f'<polygon points="{listed}" {self._paint(fill, stroke, width)}/>')

    def circle(
        self,
        cx: float,
        cy: float,
        r: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        width: float = 0.3,
    ) -> None:
        self.elements.append(
            f'<circle cx="{cx:.3f}" cy="{cy:.3f}" r="{r:.3f}" {self._paint(fill, stroke, width)}/>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, colour: Colour, width: float
    ) -> None:
        self.elements.append(
            f'<line x1="{x1:.3f}" y1="{y1:.3f}" x2="{x2:.3f}" y2="{y2:.3f}" '
            f'stroke="{self._colour(colour)}" stroke-width="{width:.3f}"/>'
        )

    def width(self, text: str, font: Font, spacing: float = 0.0) -> float:
        face = _truetype(font.family, font.style, self._MEASURE)
        return face.getlength(text) / self._MEASURE * font.size * PT + spacing * max(
            len(text) - 1, 0
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: Font,
        colour: Colour,
        *,
        align: str = "L",
        spacing: float = 0.0,
        angle: float = 0.0,
        link: str | None = None,
    ) -> None:
        anchor = {"L": "start", "C": "middle", "R": "end"}[align]
        attributes = (
            f'x="{x:.3f}" y="{y:.3f}" font-family="{self._FAMILIES[font.family]}" '
            f'font-size="{font.size * PT:.3f}" fill="{self._colour(colour)}" '
            f'text-anchor="{anchor}"'
        )
        if "B" in font.style:
            attributes += ' font-weight="bold"'
        if "I" in font.style:
            attributes += ' font-style="italic"'
        if spacing:
            attributes += f' letter-spacing="{spacing:.3f}"'
        if angle:
            attributes += f' transform="rotate({angle:.3f} {x:.3f} {y:.3f})"'
        element = f"<text {attributes}>{escape(text)}</text>"
        if link:
            element = f'<a href="{escape(link, quote=True)}">{element}</a>'
        self.elements.append(element)

    def qr(self, x: float, y: float, size: float, url: str) -> None:
        code = segno.make(url, error="m")
        modules = code.symbol_size(scale=1, border=2)[0]
        unit = size / modules
        path = "".join(
            f"M{column},{row}h1v1h-1z"
            for row, line in enumerate(code.matrix_iter(scale=1, border=2))
            for column, dark in enumerate(line)
            if dark
        )
        self.elements.append(
            f'<a href="{escape(url, quote=True)}"><g transform="translate({x:.3f} {y:.3f}) '
            f'scale({unit:.5f})"><rect width="{modules}" height="{modules}" fill="#ffffff"/>'
            f'<path d="{path}" fill="#083a66" shape-rendering="crispEdges"/></g></a>'
        )

    def svg(self, *, pixels: tuple[int, int], extra: str = "", title: str = "") -> str:
        """The document, ``pixels`` wide and high; ``extra``: more elements first (the
        baked credential)."""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:openbadges="{OPENBADGES_SVG_NAMESPACE}" '
            f'width="{pixels[0]}" height="{pixels[1]}" '
            f'viewBox="0 0 {self.width_units:g} {self.height_units:g}" role="img">\n'
            + (f"<title>{escape(title)}</title>\n" if title else "")
            + extra
            + "\n".join(self.elements)
            + "\n</svg>\n"
        )


# --- shared pieces -----------------------------------------------------------------------


def wrap(canvas: Canvas, text: str, font: Font, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a single long word stays whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and canvas.width(candidate, font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def fitted(canvas: Canvas, text: str, font: Font, width: float, smallest: float) -> Font:
    """``font``, made smaller (down to ``smallest`` points) until ``text`` fits ``width``."""
    size = font.size
    while size > smallest and canvas.width(text, Font(font.family, font.style, size)) > width:
        size -= 0.5
    return Font(font.family, font.style, size)


def name_lines(
    canvas: Canvas, name: str, font: Font, width: float, smallest: float
) -> tuple[Font, list[str]]:
    """A holder's name on one line, made smaller down to ``smallest`` points; a name still
    too long for that is broken over two lines at seven tenths of the full size."""
    one_line = fitted(canvas, name, font, width, smallest)
    if canvas.width(name, one_line) <= width:
        return one_line, [name]
    two_lines = Font(font.family, font.style, max(smallest, font.size * 0.7))
    return two_lines, wrap(canvas, name, two_lines, width)[:2]


def arc_points(cx: float, cy: float, r: float, start: float, end: float, steps: int) -> list[Point]:
    """Points on a circle from ``start`` to ``end`` degrees, clockwise from 3 o'clock (the
    y axis points down, as on the page)."""
    return [
        (
            cx + r * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + r * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def draw_mark(canvas: Canvas, cx: float, cy: float, r: float, colour: Colour) -> None:
    """The program's mark: the site's "C" (favicon.svg), an open ring with round ends."""
    stroke = r * 0.5
    outer = arc_points(cx, cy, r + stroke / 2, 40, 320, 48)
    inner = arc_points(cx, cy, r - stroke / 2, 320, 40, 48)
    canvas.polygon(outer + inner, fill=colour)
    for x, y in (arc_points(cx, cy, r, 40, 40, 1)[0], arc_points(cx, cy, r, 320, 320, 1)[0]):
        canvas.circle(x, y, stroke / 2, fill=colour)


def draw_mark_tile(canvas: Canvas, x: float, y: float, size: float) -> None:
    """The mark as the site shows it: white on a brand-blue square."""
    canvas.rect(x, y, size, size, fill=NAVY)
    draw_mark(canvas, x + size / 2, y + size / 2, size * 0.25, WHITE)


def _run(canvas: Canvas, text: str, font: Font) -> float:
    """The length of ``text`` set along a ring, letters a little apart."""
    return sum(canvas.width(char, font) for char in text) + len(text) * font.size * PT * 0.12


def _ring_text(
    canvas: Canvas, cx: float, cy: float, radius: float, text: str, font: Font, *, top: bool
) -> None:
    """``text`` along the ring, centred on its top (read clockwise) or its bottom (read
    left to right, letters upright)."""
    widths = [canvas.width(char, font) + font.size * PT * 0.12 for char in text]
    total = _run(canvas, text, font)
    # from the left end of the run to its right: clockwise on top, counter-clockwise below
    angle = -math.degrees(total / radius) / 2
    for char, width in zip(text, widths, strict=True):
        step = math.degrees(width / radius)
        middle = angle + step / 2
        theta = math.radians(middle)
        x = cx + radius * math.sin(theta)
        y = cy - radius * math.cos(theta) if top else cy + radius * math.cos(theta)
        canvas.text(x, y, char, font, WHITE, align="C", angle=middle if top else -middle)
        angle += step


def draw_seal(
    canvas: Canvas,
    cx: float,
    cy: float,
    r: float,
    *,
    top: str,
    bottom: str,
    centre: str = "",
) -> None:
    """The gold-rimmed seal: a toothed rim, a blue disc with the program's name around it,
    and the mark (or a short label) in the middle."""
    teeth = 48
    rim = [
        (
            cx + (r if i % 2 == 0 else r * 0.94) * math.cos(math.pi * i / teeth),
            cy + (r if i % 2 == 0 else r * 0.94) * math.sin(math.pi * i / teeth),
        )
        for i in range(2 * teeth)
    ]
    canvas.polygon(rim, fill=GOLD)
    canvas.circle(cx, cy, r * 0.9, fill=NAVY)
    canvas.circle(cx, cy, r * 0.86, stroke=GOLD_LIGHT, width=r * 0.012)
    canvas.circle(cx, cy, r * 0.6, stroke=GOLD_LIGHT, width=r * 0.012)
    canvas.circle(cx, cy, r * 0.57, fill=NAVY_DARK)
    size = r * 0.15 / PT  # points for letters about a seventh of the radius tall
    for text, upper, arc in ((top, True, 200), (bottom, False, 110)):
        if not text:
            continue
        font = Font(SANS, "B", size)
        radius = r * 0.68
        while font.size > 3 and _run(canvas, text, font) > radius * math.radians(arc):
            font = Font(SANS, "B", font.size - 0.25)
        if not upper:
            radius += font.size * PT * 0.72  # the letters stand on the outer line
        _ring_text(canvas, cx, cy, radius, text, font, top=upper)
    # a dot at each end of the lower text, between the two runs
    for side in (-1, 1):
        x, y = (
            cx + side * r * 0.73 * math.sin(math.radians(72)),
            cy + r * 0.73 * math.cos(math.radians(72)),
        )
        canvas.circle(x, y, r * 0.03, fill=GOLD_LIGHT)
    if not centre:
        draw_mark(canvas, cx, cy, r * 0.25, GOLD_LIGHT)
        return
    draw_mark(canvas, cx, cy - r * 0.2, r * 0.12, GOLD_LIGHT)
    font = fitted(canvas, centre, Font(SERIF, "B", r * 0.17 / PT), r * 0.92, r * 0.11 / PT)
    lines = wrap(canvas, centre, font, r * 0.92)[:2]
    height = font.size * PT * 1.15
    y = cy + r * 0.2 - height * (len(lines) - 1) / 2
    for line in lines:
        canvas.text(cx, y, line, font, WHITE, align="C")
        y += height


def draw_frame(canvas: Canvas, width: float, height: float, band: float) -> None:
    """Paper inside a brand-blue band, a thin gold rule inside it, gold corner diamonds."""
    canvas.rect(0, 0, width, height, fill=NAVY)
    canvas.rect(band, band, width - 2 * band, height - 2 * band, fill=PAPER)
    inset = band * 1.6
    canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset, stroke=GOLD, width=band * 0.07)
    d = band * 0.55
    for x, y in (
        (inset, inset),
        (width - inset, inset),
        (inset, height - inset),
        (width - inset, height - inset),
    ):
        canvas.polygon([(x, y - d), (x + d, y), (x, y + d), (x - d, y)], fill=GOLD)


def _flourish(canvas: Canvas, cx: float, y: float, half: float) -> None:
    """A gold rule with a diamond in its middle, under the title."""
    canvas.line(cx - half, y, cx - 3, y, colour=GOLD, width=0.35)
    canvas.line(cx + 3, y, cx + half, y, colour=GOLD, width=0.35)
    canvas.polygon([(cx, y - 1.6), (cx + 1.6, y), (cx, y + 1.6), (cx - 1.6, y)], fill=GOLD)


# --- the A4 certificate ------------------------------------------------------------------

A4 = (297.0, 210.0)


def _columns(
    canvas: Canvas, facts: CertificateFacts, x: float, y: float, w: float, h: float
) -> None:
    """The evidence panel: its columns' entries in the largest size (8 to 6 points) at which
    the longest column fits; what still does not fit ends with "…" (the verification page
    has it all)."""
    canvas.rect(x, y, w, h, fill=PANEL)
    canvas.line(x, y, x + w, y, colour=GOLD, width=0.35)
    if not facts.columns:
        return
    gutter = 6.0
    inner = w - 2 * gutter
    column_width = (inner - gutter * (len(facts.columns) - 1)) / len(facts.columns)
    for size in (8.0, 7.5, 7.0, 6.5, 6.0):
        body = Font(SANS, "", size)
        leading = size * PT * 1.3
        laid = [
            [wrap(canvas, "• " + entry, body, column_width) for entry in column.entries]
            for column in facts.columns
        ]
        tallest = max(
            sum(len(lines) for lines in entries) * leading + 0.8 * len(entries) for entries in laid
        )
        if tallest <= h - 11:
            break
    heading = Font(SANS, "B", 7.5)
    for index, (column, entries) in enumerate(zip(facts.columns, laid, strict=True)):
        left = x + gutter + index * (column_width + gutter)
        canvas.text(left, y + 6, column.heading.upper(), heading, NAVY, spacing=0.35)
        rows = [
            (line if number == 0 else "   " + line, number == 0)
            for lines in entries
            for number, line in enumerate(lines)
        ]
        line_y = y + 6 + leading + 1.2
        bottom = y + h - 2.5
        for position, (row, starts_entry) in enumerate(rows):
            if starts_entry and position:
                line_y += 0.8  # a little air between entries
            if position < len(rows) - 1 and line_y + leading + 0.8 > bottom:
                canvas.text(left, line_y, "   …", body, MUTED)  # the rest: on the web page
                break
            canvas.text(left, line_y, row, body, INK)
            line_y += leading


def draw_certificate(canvas: Canvas, facts: CertificateFacts) -> None:
    """The A4 landscape certificate (297 by 210 mm)."""
    width, height = A4
    middle = width / 2
    draw_frame(canvas, width, height, 6.5)

    # header: the mark and the program on the left, the serial number on the right
    draw_mark_tile(canvas, 22, 20, 12)
    canvas.text(38, 25.5, facts.program.upper(), Font(SANS, "B", 11), NAVY, spacing=0.45)
    canvas.text(38, 31, facts.provider, Font(SANS, "", 8.5), MUTED)
    canvas.text(
        275, 25.5, facts.serial_label.upper(), Font(SANS, "", 7), MUTED, align="R", spacing=0.3
    )
    canvas.text(275, 31, facts.serial, Font(SANS, "B", 10), NAVY, align="R")

    # the statement, largest first
    canvas.text(middle, 50, facts.title.upper(), Font(SERIF, "B", 34), NAVY, align="C", spacing=2.2)
    _flourish(canvas, middle, 55, 34)
    canvas.text(middle, 64.5, facts.certifies, Font(SERIF, "I", 13), MUTED, align="C")
    name, names = name_lines(canvas, facts.holder, Font(SERIF, "B", 30), 230, 18)
    leading = name.size * PT * 1.15
    shift = leading * (len(names) - 1)  # what a name on two lines moves down
    for number, line in enumerate(names):
        canvas.text(middle, 78.5 - shift / 2 + number * leading, line, name, INK, align="C")
    rule = max(90.0, min(230.0, max(canvas.width(n, name) for n in names) + 24))
    y = 82.5 + shift / 2
    canvas.line(middle - rule / 2, y, middle + rule / 2, y, colour=GOLD, width=0.5)
    canvas.text(middle, 90.5 + shift / 2, facts.awarded, Font(SERIF, "I", 12), MUTED, align="C")
    award = Font(SANS, "B", 17)
    lines = wrap(canvas, facts.award, award, 215)
    if len(lines) > 2:
        award = Font(SANS, "B", 13)
        lines = wrap(canvas, facts.award, award, 235)[:3]
    y = 99.5 + shift / 2
    for line in lines:
        canvas.text(middle, y, line, award, NAVY, align="C")
        y += award.size * PT * 1.2

    # the dates, as a row of labelled values
    top = 103.0 + shift / 2 + award.size * PT * 1.2 * len(lines)
    spread = 62.0
    first = middle - spread * (len(facts.dates) - 1) / 2
    for index, (label, value) in enumerate(facts.dates):
        x = first + index * spread
        canvas.text(x, top, label.upper(), Font(SANS, "", 7), MUTED, align="C", spacing=0.3)
        canvas.text(x, top + 6, value, Font(SANS, "B", 11), INK, align="C")
        if index:
            canvas.line(
                x - spread / 2, top - 3.5, x - spread / 2, top + 7.5, colour=GOLD, width=0.3
            )

    # the evidence panel fills the lower third
    panel_top = top + 11
    _columns(canvas, facts, 18, panel_top, width - 36, 164 - panel_top)

    # signature, seal and QR code along the foot
    canvas.text(
        61,
        185,
        facts.provider,
        fitted(canvas, facts.provider, Font(SERIF, "I", 12), 80, 8),
        NAVY_DARK,
        align="C",
    )
    canvas.line(22, 188, 100, 188, colour=INK, width=0.3)
    canvas.text(61, 192.5, facts.signature_role, Font(SANS, "B", 7.5), INK, align="C")
    canvas.text(
        61,
        196.5,
        facts.signature_note,
        fitted(canvas, facts.signature_note, Font(SANS, "", 6), 80, 4.5),
        MUTED,
        align="C",
    )
    draw_seal(canvas, middle, 182.5, 17, top=facts.seal_top, bottom=facts.seal_bottom)
    size = 27.0
    canvas.qr(275 - size, 171, size, facts.url)
    canvas.text(244, 186, facts.verify_label, Font(SANS, "B", 7.5), INK, align="R")
    url = fitted(canvas, facts.url, Font(SANS, "", 7), 68, 4.5)
    canvas.text(244, 190.5, facts.url, url, NAVY, align="R", link=facts.url)


def certificate_pdf(facts: CertificateFacts) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4", unit="mm")
    add_unicode_fonts(pdf)
    pdf.set_title(f"{facts.award}, {facts.holder}")
    pdf.set_author(facts.provider)
    pdf.set_subject(facts.url)
    pdf.set_creator("Credence")
    pdf.set_lang(facts.language)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margin(0)
    pdf.add_page()
    draw_certificate(PdfCanvas(pdf), facts)
    return bytes(pdf.output())


# --- the image for social posts ----------------------------------------------------------

SOCIAL = (300.0, 156.75)  # 1200 by 627 pixels at 4 a unit: LinkedIn's shared-image size
SOCIAL_SCALE = 4.0


def draw_social(canvas: Canvas, facts: CertificateFacts) -> None:
    """The certificate as a 1.91:1 image: the seal on the left, the statement on the right."""
    width, height = SOCIAL
    draw_frame(canvas, width, height, 4.5)
    draw_seal(
        canvas, 64, 78, 44, top=facts.seal_top, bottom=facts.seal_bottom, centre=facts.badge_label
    )

    left, right = 120.0, 284.0
    span = right - left
    draw_mark_tile(canvas, left, 17, 8)
    canvas.text(
        left + 11,
        21,
        facts.program.upper(),
        fitted(canvas, facts.program.upper(), Font(SANS, "B", 8.5), span - 11, 6),
        NAVY,
        spacing=0.35,
    )
    canvas.text(
        left + 11,
        25,
        facts.provider,
        fitted(canvas, facts.provider, Font(SANS, "", 6.5), span - 11, 5),
        MUTED,
    )
    canvas.text(left, 43, facts.title.upper(), Font(SERIF, "B", 25), NAVY, spacing=1.4)
    canvas.line(left, 47.5, left + 40, 47.5, colour=GOLD, width=0.6)
    canvas.text(left, 57, facts.certifies, Font(SERIF, "I", 10), MUTED)
    name, names = name_lines(canvas, facts.holder, Font(SERIF, "B", 24), span, 14)
    leading = name.size * PT * 1.15
    for number, line in enumerate(names):
        canvas.text(left, 69.5 + number * leading, line, name, INK)
    shift = leading * (len(names) - 1)
    canvas.text(left, 79 + shift, facts.awarded, Font(SERIF, "I", 9.5), MUTED)
    award = Font(SANS, "B", 13)
    lines = wrap(canvas, facts.award, award, span)
    if len(lines) > 2:
        award = Font(SANS, "B", 10.5)
        lines = wrap(canvas, facts.award, award, span)[:3]
    y = 87.5 + shift
    for line in lines:
        canvas.text(left, y, line, award, NAVY)
        y += award.size * PT * 1.2
    y += 5
    x = left
    for label, value in (*facts.dates, (facts.serial_label, facts.serial)):
        canvas.text(x, y, label.upper(), Font(SANS, "", 6), MUTED, spacing=0.25)
        canvas.text(x, y + 5, value, Font(SANS, "B", 9), INK)
        x += 56
    size = 24.0
    canvas.qr(right - size, height - 12 - size, size, facts.url)
    canvas.text(left, height - 18, facts.verify_label, Font(SANS, "B", 7), INK)
    canvas.text(
        left,
        height - 13.5,
        facts.url,
        fitted(canvas, facts.url, Font(SANS, "", 7), span - size - 4, 4.5),
        NAVY,
    )


def social_image(facts: CertificateFacts) -> Image.Image:
    width, height = SOCIAL
    canvas = ImageCanvas(width, height, SOCIAL_SCALE)
    draw_social(canvas, facts)
    return canvas.png()


def social_svg(facts: CertificateFacts) -> str:
    width, height = SOCIAL
    canvas = SvgCanvas(width, height)
    draw_social(canvas, facts)
    pixels = (round(width * SOCIAL_SCALE), round(height * SOCIAL_SCALE))
    return canvas.svg(pixels=pixels, title=f"{facts.title}: {facts.award}, {facts.holder}")


# --- the badge ---------------------------------------------------------------------------

BADGE = 100.0  # 600 by 600 pixels at 6 a unit
BADGE_SCALE = 6.0


def badge_image(facts: CertificateFacts) -> Image.Image:
    """The seal alone on a transparent square, with the award's short name in its middle:
    the Open Badges image that the signed credential is baked into."""
    canvas = ImageCanvas(BADGE, BADGE, BADGE_SCALE, background=None)
    draw_seal(
        canvas,
        BADGE / 2,
        BADGE / 2,
        BADGE * 0.48,
        top=facts.seal_top,
        bottom=facts.seal_bottom,
        centre=facts.badge_label,
    )
    return canvas.png(keep_alpha=True)


def badge_svg(facts: CertificateFacts, credential_json: str) -> str:
    """The badge as SVG with the credential baked in: its JSON inside
    <openbadges:credential> as character data (a "]]>" in it split across two sections)."""
    canvas = SvgCanvas(BADGE, BADGE)
    draw_seal(
        canvas,
        BADGE / 2,
        BADGE / 2,
        BADGE * 0.48,
        top=facts.seal_top,
        bottom=facts.seal_bottom,
        centre=facts.badge_label,
    )
    data = credential_json.replace("]]>", "]]]]><![CDATA[>")
    baked = f"<openbadges:credential><![CDATA[{data}]]></openbadges:credential>\n"
    pixels = (round(BADGE * BADGE_SCALE),) * 2
    return canvas.svg(pixels=pixels, extra=baked, title=f"{facts.award}, {facts.holder}")
