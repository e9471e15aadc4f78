"""Report images of a calibration, as SVG (matplotlib, Agg; decision 0019).

Each figure is small (a few hundred points at most) so that drawing it holds the GIL for
milliseconds, not seconds. Figures are made with ``matplotlib.figure.Figure`` directly, never
through pyplot, so nothing global is shared between requests.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from credence.psychometrics import irt
from credence.psychometrics.scoring import eap, test_information

THETA = np.linspace(-4.0, 4.0, 81)
#: Mean squares inside this band fit well enough (Wright & Linacre 1994, for multiple choice).
FIT_BAND = (0.7, 1.3)
#: Beyond this many items the curves are unreadable; the plot shows the first ones only.
MAX_CURVES = 60
PLOTS = ("icc", "information", "wright", "fit")


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # a fixed hash salt and no date keep the SVG identical for identical data
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _figure() -> tuple[Figure, object]:
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    return figure, figure.add_subplot()


def item_characteristic_curves(calibration: irt.Calibration) -> bytes:
    figure, axes = _figure()
    p = irt.probability(THETA, calibration.a[:MAX_CURVES], calibration.b[:MAX_CURVES])
    axes.plot(THETA, p, linewidth=0.8)  # type: ignore[attr-defined]
    axes.set(  # type: ignore[attr-defined]
        xlabel=_("ability θ"), ylabel=_("P(correct)"), title=_("Item characteristic curves")
    )
    return _svg(figure)


def test_information_curve(calibration: irt.Calibration) -> bytes:
    figure, axes = _figure()
    information = test_information(THETA, calibration.a, calibration.b)
    axes.plot(THETA, information, label=_("information"))  # type: ignore[attr-defined]
    axes.set(xlabel=_("ability θ"), ylabel=_("information"))  # type: ignore[attr-defined]
    error = axes.twinx()  # type: ignore[attr-defined]
    error.plot(THETA, 1 / np.sqrt(information), color="tab:red", linestyle="--")
    error.set_ylabel(_("standard error"))
    axes.set_title(_("Test information and standard error"))  # type: ignore[attr-defined]
    return _svg(figure)


def wright_map(calibration: irt.Calibration, responses: np.ndarray | None) -> bytes:
    """Persons' EAP abilities (from ``responses``, columns in the calibration's item order)
    beside the items' difficulties, on one θ axis."""
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    persons, items = figure.subplots(1, 2, sharey=True)
    if responses is not None and len(responses):
        theta, _se = eap(responses, calibration.a, calibration.b)
        persons.hist(theta, bins=20, orientation="horizontal", color="tab:blue")
    persons.invert_xaxis()
    persons.set(xlabel=_("persons"), ylabel=_("θ"))
    items.hist(calibration.b, bins=20, orientation="horizontal", color="tab:orange")
    items.set(xlabel=_("items (difficulty b)"))
    figure.suptitle(_("Wright map"))
    return _svg(figure)


def item_fit(calibration: irt.Calibration) -> bytes:
    figure, axes = _figure()
    index = np.arange(len(calibration.items))
    infit = [item.infit for item in calibration.items]
    outfit = [item.outfit for item in calibration.items]
    axes.scatter(index, infit, s=12, label=_("infit"))  # type: ignore[attr-defined]
    axes.scatter(index, outfit, s=12, marker="x", label=_("outfit"))  # type: ignore[attr-defined]
    axes.axhspan(*FIT_BAND, color="tab:green", alpha=0.15)  # type: ignore[attr-defined]
    axes.set(xlabel=_("item"), ylabel=_("mean square"), title=_("Item fit"))  # type: ignore[attr-defined]
    axes.legend()  # type: ignore[attr-defined]
    return _svg(figure)


def plot(name: str, calibration: irt.Calibration, responses: np.ndarray | None = None) -> bytes:
    """One of ``PLOTS`` as SVG; ``KeyError`` for another name."""
    if name == "wright":
        return wright_map(calibration, responses)
    return {
        "icc": item_characteristic_curves,
        "information": test_information_curve,
        "fit": item_fit,
    }[name](calibration)
