"""Report plots drawn directly from parameters (no database): per form, paged or complete,
with the cut. Curves and the cut are found in the SVG by their element ids."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import numpy as np
import pytest

from credence.psychometrics import irt, plots

BANK = irt.Calibration(
    model="2pl",
    converged=True,
    iterations=10,
    items=tuple(
        irt.ItemParameters(f"q{i:03d}", 0.6 + 0.01 * i, -2.0 + 0.03 * i, 0.1, 0.1, 1.0, 1.0)
        for i in range(130)
    ),
    log_likelihood=-1.0,
)
#: a 100-item form drawn from the 130-item bank, in its own order
FORM = [f"q{i:03d}" for i in range(120, 20, -1)]


def ids(svg: bytes, prefix: str) -> list[str]:
    ElementTree.fromstring(svg)  # well-formed
    return re.findall(rf'id="{prefix}([^"]*)"', svg.decode())


def test_a_100_item_form_gets_every_curve_over_its_pages_each_with_the_cut():
    assert plots.page_count(len(FORM)) == 5
    drawn: list[str] = []
    for page in range(1, 6):
        svg = plots.item_characteristic_curves(
            BANK, FORM, page=page, theta_cut=0.25, cut_band=(0.1, 0.4)
        )
        on_page = ids(svg, "icc-")
        assert len(on_page) == plots.CURVES_PER_PAGE
        assert sorted(ids(svg, "cut")) == ["", "-band"]  # the line and its one-SE band
        drawn += on_page
    assert drawn == FORM  # every item once, in the form's order, none of the bank's others


def test_the_complete_form_on_one_figure_and_a_short_last_page():
    complete = plots.item_characteristic_curves(BANK, FORM)
    assert ids(complete, "icc-") == FORM
    assert ids(complete, "cut") == []  # no cut given, none drawn
    last = plots.item_characteristic_curves(BANK, FORM[:45], page=3)
    assert ids(last, "icc-") == FORM[40:45]
    with pytest.raises(ValueError, match="page 4 of 3"):
        plots.item_characteristic_curves(BANK, FORM[:45], page=4)


def test_without_a_form_the_bank_is_drawn_complete_as_before():
    assert ids(plots.plot("icc", BANK), "icc-") == list(BANK.item_ids)


def test_the_information_curve_is_the_forms_with_the_cut():
    form = plots.test_information_curve(BANK, FORM[:10], theta_cut=-0.5)
    assert form != plots.test_information_curve(BANK)
    assert "cut" in ids(form, "")


def test_the_wright_map_and_fit_take_the_cut_and_the_form():
    responses = np.random.default_rng(7).integers(0, 2, size=(40, len(BANK.items))).astype(float)
    wright = plots.plot("wright", BANK, responses, theta_cut=0.3, cut_band=(0.2, 0.4))
    assert {"cut", "cut-band"} <= set(ids(wright, ""))
    fit = plots.plot("fit", BANK, items=FORM[:5])
    assert fit != plots.plot("fit", BANK)


def test_an_item_the_calibration_lacks_is_a_key_error():
    with pytest.raises(KeyError, match="nope"):
        plots.plot("icc", BANK, items=["q001", "nope"])
    with pytest.raises(KeyError):
        plots.plot("pie", BANK)
