"""The fund's balance over time as a server-rendered SVG: no JavaScript, readable by screen
readers through its title and description (the page also shows the figures as a table)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from credence.core.l10n import number

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 640, 240, 80, 16, 24


def day(moment: datetime) -> str:
    return date_format(localtime(moment), "DATE_FORMAT")


def fund_chart_svg(points: list[tuple[datetime, Decimal]], currency: str) -> str:
    title = escape(_("Subsidy fund balance over time"))
    if not points:
        desc = escape(_("No movements yet."))
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-labelledby="t d"><title id="t">{title}</title>'
            f'<desc id="d">{desc}</desc><text x="20" y="40">{desc}</text></svg>'
        )
    start, end = points[0][0].timestamp(), points[-1][0].timestamp()
    span = max(end - start, 1.0)
    top = max(max(balance for _moment, balance in points), Decimal(1))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - 2 * PAD_Y

    def x(moment: datetime) -> float:
        return PAD_LEFT + (moment.timestamp() - start) / span * plot_w

    def y(balance: Decimal) -> float:
        return PAD_Y + plot_h - float(balance / top) * plot_h

    # A step line: the balance holds until the next movement.
    coords: list[str] = []
    previous: Decimal | None = None
    for moment, balance in points:
        if previous is not None:
            coords.append(f"{x(moment):.1f},{y(previous):.1f}")
        coords.append(f"{x(moment):.1f},{y(balance):.1f}")
        previous = balance
    desc = escape(
        _("From %(first)s to %(last)s %(currency)s; highest %(top)s %(currency)s.")
        % {
            "first": number(points[0][1]),
            "last": number(points[-1][1]),
            "top": number(top),
            "currency": currency,
        }
    )
    base = PAD_Y + plot_h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12">'
        f'<title id="t">{title}</title><desc id="d">{desc}</desc>'
        f'<line x1="{PAD_LEFT}" y1="{base}" x2="{WIDTH - PAD_RIGHT}" y2="{base}" stroke="#555"/>'
        f'<line x1="{PAD_LEFT}" y1="{PAD_Y}" x2="{PAD_LEFT}" y2="{base}" stroke="#555"/>'
        f'<text x="{PAD_LEFT - 6}" y="{PAD_Y + 4}" text-anchor="end">{number(top, 0)}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{base + 4}" text-anchor="end">0</text>'
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 4}">{day(points[0][0])}</text>'
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 4}" text-anchor="end">'
        f"{day(points[-1][0])}</text>"
        f'<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{" ".join(coords)}"/>'
        "</svg>"
    )
