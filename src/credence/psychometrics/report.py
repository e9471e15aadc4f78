"""The exportable report of a calibration: one ZIP file (decision 0019) holding

* ``PARAMS.json`` — the parameters document (``irt.Calibration.to_json``), readable by
  ``credence psychometrics score|table``;
* ``items.csv`` — one row per item: id, name, a, b, their standard errors, infit, outfit and
  whether the fit is outside the 0.7-1.3 band;
* ``icc.svg``, ``information.svg``, ``wright.svg``, ``fit.svg`` — the plots of the staff page,
  of the whole bank (every item's curve on one figure), with the adopted standard's θ cut
  when it is on this calibration's scale;
* ``index.html`` — a summary that shows the plots and the table, with no script or style
  from elsewhere, so that it opens from the unpacked folder.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.template.loader import render_to_string

from credence.psychometrics import irt, plots, selectors
from credence.psychometrics.models import Calibration

CSV_COLUMNS = ("id", "name", "a", "b", "se_a", "se_b", "infit", "outfit", "misfit")


def misfits(item: irt.ItemParameters) -> bool:
    low, high = plots.FIT_BAND
    return any(not (low <= value <= high) for value in (item.infit, item.outfit))


def items_csv(fitted: irt.Calibration, names: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for item in fitted.items:
        writer.writerow(
            [
                item.id,
                names.get(item.id, ""),
                item.a,
                item.b,
                item.se_a,
                item.se_b,
                item.infit,
                item.outfit,
                "yes" if misfits(item) else "no",
            ]
        )
    return buffer.getvalue()


def calibration_report(calibration: Calibration) -> bytes:
    """The ZIP report of a finished calibration; ``ValueError`` for another."""
    fitted = selectors.parameters_of(calibration)
    if fitted is None:
        raise ValueError("only a finished calibration has a report")
    names = selectors.item_names(fitted.item_ids)
    responses = selectors.responses_for(calibration)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("PARAMS.json", json.dumps(fitted.to_json(), indent=2))
        archive.writestr("items.csv", items_csv(fitted, names))
        cut = selectors.plot_cut(calibration)
        for name in plots.PLOTS:
            svg = plots.plot(
                name,
                fitted,
                responses,
                theta_cut=cut.theta if cut is not None else None,
                cut_band=(cut.low, cut.high) if cut is not None and cut.finite else None,
            )
            archive.writestr(f"{name}.svg", svg)
        archive.writestr(
            "index.html",
            render_to_string(
                "psychometrics/report.html",
                {
                    "calibration": calibration,
                    "fitted": fitted,
                    "rows": [
                        (item, names.get(item.id, ""), misfits(item)) for item in fitted.items
                    ],
                    "plots": plots.PLOTS,
                },
            ),
        )
    return buffer.getvalue()
