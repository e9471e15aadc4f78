"""Report images of a calibration, as SVG (matplotlib, Agg; decision 0019).

Each figure is small (a few hundred points at most) so that drawing it holds the GIL for
milliseconds, not seconds. Figures are made with ``matplotlib.figure.Figure`` directly, never
through pyplot, so nothing global is shared between requests.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from credence.psychometrics import irt
from credence.psychometrics.scoring import eap, test_information

THETA = np.linspace(-4.0, 4.0, 81)
#: Mean squares inside this band fit well enough (Wright & Linacre 1994, for multiple choice).
FIT_BAND = (0.7, 1.3)
#: Item characteristic curves per page: as many as a legend can still name one by one. A
#: form is drawn over as many pages as it needs, or complete on one (decision 0046).
CURVES_PER_PAGE = 20
PLOTS = ("icc", "information", "wright", "fit")
CUT_COLOUR = "black"


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # a fixed hash salt and no date keep the SVG identical for identical data
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    return figure, figure.add_subplot()


def page_count(items: int, per_page: int = CURVES_PER_PAGE) -> int:
    """Pages the curves of ``items`` items take (at least one, for an empty form)."""
    return max(1, math.ceil(items / per_page))


def form_of(
    calibration: irt.Calibration, items: Sequence[str] | None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(ids, a, b) of a form's items in its order, the whole bank when ``items`` is None;
    ``KeyError`` naming an item the calibration does not cover."""
    if items is None:
        return list(calibration.item_ids), calibration.a, calibration.b
    by_id = {item.id: item for item in calibration.items}
    chosen = [by_id[item] for item in items]
    return (
        [item.id for item in chosen],
        np.array([item.a for item in chosen], dtype=float),
        np.array([item.b for item in chosen], dtype=float),
    )


def draw_cut(
    axes: Any,
    theta_cut: float | None,
    cut_band: tuple[float, float] | None = None,
    *,
    horizontal: bool = False,
) -> None:
    """The standard's θ cut as a line (SVG id ``cut``) and its one-SE band (``cut-band``),
    both in the legend; nothing without a cut."""
    if theta_cut is None:
        return
    line = axes.axhline if horizontal else axes.axvline
    span = axes.axhspan if horizontal else axes.axvspan
    if cut_band is not None:
        band = span(*cut_band, color=CUT_COLOUR, alpha=0.1, label=_("cut ± 1 SE"))
        band.set_gid("cut-band")
    cut = line(
        theta_cut,
        color=CUT_COLOUR,
        linestyle=":",
        linewidth=1.2,
        label=_("cut θ = %(theta).2f") % {"theta": theta_cut},
    )
    cut.set_gid("cut")


def _legend_outside(axes: Any, handles: list[Any] | None = None) -> None:
    """A legend beside the plot, not over the curves; ``bbox_inches="tight"`` makes room."""
    options = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0), "fontsize": "x-small"}
    if handles is not None:
        axes.legend(handles=handles, **options)
    else:
        axes.legend(**options)


def _form_title(title: str, ids: list[str], form: bool) -> str:
    if form:
        return _("%(title)s: form of %(n)d items") % {"title": title, "n": len(ids)}
    return _("%(title)s: item bank of %(n)d items") % {"title": title, "n": len(ids)}


def item_characteristic_curves(
    calibration: irt.Calibration,
    items: Sequence[str] | None = None,
    *,
    page: int | None = None,
    per_page: int = CURVES_PER_PAGE,
    theta_cut: float | None = None,
    cut_band: tuple[float, float] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """The curves of a form's items (the bank's without ``items``): page ``page`` of
    ``page_count(len(items), per_page)``, every curve named in the legend, or all of them
    on one figure when ``page`` is None (named when they fit on a page). Each curve is the
    SVG element ``icc-<item id>``. ``ValueError`` for a page the form does not have."""
    ids, a, b = form_of(calibration, items)
    pages = page_count(len(ids), per_page)
    if page is not None and not 1 <= page <= pages:
        raise ValueError(f"page {page} of {pages}")
    first, last = (0, len(ids)) if page is None else ((page - 1) * per_page, page * per_page)
    shown = ids[first:last]
    figure, axes = _figure()
    # twenty colours, so that no two curves of a page share one (tab20 is a ListedColormap;
    # the registry's type is any Colormap, and matplotlib types its colours as any array,
    # scalars included, where the cycle takes an iterable)
    palette = cast(ListedColormap, matplotlib.colormaps["tab20"])
    axes.set_prop_cycle(color=palette.colors)  # type: ignore[arg-type]
    p = irt.probability(THETA, a[first:last], b[first:last])
    named = len(shown) <= per_page
    for column, item in enumerate(shown):
        (curve,) = axes.plot(
            THETA,
            p[:, column],
            linewidth=0.8,
            label=(labels or {}).get(item, item) if named else "_nolegend_",
        )
        curve.set_gid(f"icc-{item}")
    draw_cut(axes, theta_cut, cut_band)
    title = _form_title(_("Item characteristic curves"), ids, items is not None)
    if page is not None and pages > 1:
        title += " · " + _("items %(first)d to %(last)d, page %(page)d of %(pages)d") % {
            "first": first + 1,
            "last": first + len(shown),
            "page": page,
            "pages": pages,
        }
    axes.set(xlabel=_("ability θ"), ylabel=_("P(correct)"), title=title)
    if named or theta_cut is not None:
        _legend_outside(axes)
    return _svg(figure)


def test_information_curve(
    calibration: irt.Calibration,
    items: Sequence[str] | None = None,
    *,
    theta_cut: float | None = None,
    cut_band: tuple[float, float] | None = None,
) -> bytes:
    """Information and standard error of a form (the bank's without ``items``: the most
    any form drawn from it could give, not what a candidate's form gives)."""
    _ids, a, b = form_of(calibration, items)
    figure, axes = _figure()
    information = test_information(THETA, a, b)
    (info,) = axes.plot(THETA, information, label=_("information"))
    axes.set(xlabel=_("ability θ"), ylabel=_("information"))
    error = axes.twinx()
    (se,) = error.plot(
        THETA,
        1 / np.sqrt(information),
        color="tab:red",
        linestyle="--",
        label=_("standard error"),
    )
    error.set_ylabel(_("standard error"))
    draw_cut(axes, theta_cut, cut_band)
    axes.set_title(_form_title(_("Test information and standard error"), _ids, items is not None))
    handles = [info, se, *axes.get_legend_handles_labels()[0][1:]]
    # the legend on the right-hand axis, which is drawn over the left one
    error.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.12, 1.0), fontsize="x-small")
    return _svg(figure)


def wright_map(
    calibration: irt.Calibration,
    responses: np.ndarray | None,
    *,
    theta_cut: float | None = None,
    cut_band: tuple[float, float] | None = None,
) -> bytes:
    """Persons' EAP abilities (from ``responses``, columns in the calibration's item order)
    beside the items' difficulties, on one θ axis, with the cut across both."""
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    persons, items = figure.subplots(1, 2, sharey=True)
    if responses is not None and len(responses):
        theta, _se = eap(responses, calibration.a, calibration.b)
        persons.hist(theta, bins=20, orientation="horizontal", color="tab:blue")
    persons.invert_xaxis()
    persons.set(xlabel=_("persons"), ylabel=_("θ"))
    items.hist(calibration.b, bins=20, orientation="horizontal", color="tab:orange")
    items.set(xlabel=_("items (difficulty b)"))
    if theta_cut is not None:
        persons.axhline(theta_cut, color=CUT_COLOUR, linestyle=":", linewidth=1.2)
        draw_cut(items, theta_cut, cut_band, horizontal=True)
        _legend_outside(items)
    figure.suptitle(_("Wright map"))
    return _svg(figure)


def item_fit(calibration: irt.Calibration, items: Sequence[str] | None = None) -> bytes:
    """Infit and outfit of a form's items (the bank's without ``items``), in its order."""
    ids, _a, _b = form_of(calibration, items)
    by_id = {item.id: item for item in calibration.items}
    figure, axes = _figure()
    index = np.arange(1, len(ids) + 1)
    infit = [by_id[item].infit for item in ids]
    outfit = [by_id[item].outfit for item in ids]
    axes.scatter(index, infit, s=12, label=_("infit"))
    axes.scatter(index, outfit, s=12, marker="x", label=_("outfit"))
    axes.axhspan(*FIT_BAND, color="tab:green", alpha=0.15, label=_("fits (0.7 to 1.3)"))
    axes.set(
        xlabel=_("item"),
        ylabel=_("mean square"),
        title=_form_title(_("Item fit"), ids, items is not None),
    )
    _legend_outside(axes)
    return _svg(figure)


def plot(
    name: str,
    calibration: irt.Calibration,
    responses: np.ndarray | None = None,
    *,
    items: Sequence[str] | None = None,
    page: int | None = None,
    theta_cut: float | None = None,
    cut_band: tuple[float, float] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """One of ``PLOTS`` as SVG, for a form (``items``; the bank without) with the standard's
    cut; ``KeyError`` for another name or an item the calibration lacks, ``ValueError`` for
    a page the form does not have. The Wright map is always of the bank, whose scale it
    shows."""
    if name == "wright":
        return wright_map(calibration, responses, theta_cut=theta_cut, cut_band=cut_band)
    if name == "icc":
        return item_characteristic_curves(
            calibration, items, page=page, theta_cut=theta_cut, cut_band=cut_band, labels=labels
        )
    if name == "information":
        return test_information_curve(calibration, items, theta_cut=theta_cut, cut_band=cut_band)
    if name == "fit":
        return item_fit(calibration, items)
    raise KeyError(name)
