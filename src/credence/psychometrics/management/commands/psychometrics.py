"""``credence psychometrics calibrate|score|table``: IRT from the command line.

* ``calibrate RESPONSES.csv --model rasch|2pl --out PARAMS.json`` calibrates the items by
  marginal maximum likelihood (docs/decisions/0017-irt-calibration.md) and writes PARAMS.json;
  the convergence report goes to stdout, a progress bar to stderr when it is a terminal (or
  with ``--progress``).
* ``score PARAMS.json RESPONSES.csv --out SCORES.csv`` writes EAP (with SE) and MLE (with SE)
  per person.
* ``table PARAMS.json [--items id,id,...]`` prints the score-to-ability table of a form.

Files with problems print one ``file:line:column: message`` line per problem to stderr and
exit with status 2 (as ``credence program check`` does); nothing is written then. A
calibration that did not converge, or whose model the data do not identify (a 2PL on one
item), writes PARAMS.json for inspection but exits with status 3: it must not be used
(docs/decisions/0042). ``calibrate`` also lists the items the screening flags, with reasons.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

# irt.MODELS, written out: importing irt for the choices would load numpy and scipy (a test
# keeps the two equal)
MODELS = ("rasch", "2pl")


class Command(BaseCommand):
    help = "Calibrate items (Rasch, 2PL), score persons and print score tables."
    # Like `program check`, these work on files and need nothing else of the project.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        text = "Calibrate items from a response table (CSV) and write PARAMS.json."
        action = actions.add_parser("calibrate", help=text, description=text)
        action.add_argument("responses", type=Path, help="CSV: person id, then 1, 0 or empty")
        action.add_argument("--model", choices=MODELS, default="2pl")
        action.add_argument("--out", type=Path, required=True, help="PARAMS.json to write")
        action.add_argument("--max-iterations", type=int, default=500)
        action.add_argument("--tolerance", type=float, default=1e-4)
        action.add_argument(
            "--threads",
            type=int,
            default=1,
            help="BLAS threads for the matrix products (default 1; 0: the library's default)",
        )
        action.add_argument(
            "--progress", action="store_true", help="show the progress bar also off a terminal"
        )

        text = "Score persons (EAP and MLE) with calibrated items; write a CSV."
        action = actions.add_parser("score", help=text, description=text)
        action.add_argument("parameters", type=Path, help="PARAMS.json from calibrate")
        action.add_argument("responses", type=Path, help="CSV: person id, then 1, 0 or empty")
        action.add_argument("--out", type=Path, required=True, help="SCORES.csv to write")

        text = "Print the score-to-ability table of a form."
        action = actions.add_parser("table", help=text, description=text)
        action.add_argument("parameters", type=Path, help="PARAMS.json from calibrate")
        action.add_argument(
            "--items", help="comma-separated item ids of the form (default: all items)"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        # The actions need numpy, scipy and tqdm (a third of a second of CPU); imported when
        # one runs, so that `credence psychometrics ... --help` starts at once (issue 14).
        from credence.psychometrics.commandline import Actions

        Actions(self.stdout, self.stderr).run(action, **options)
