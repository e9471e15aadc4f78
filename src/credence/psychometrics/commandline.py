"""What ``credence psychometrics calibrate|score|table`` do, apart from parsing their arguments
(``management/commands/psychometrics.py``): the command imports this module when an action
runs, because it needs numpy, scipy and tqdm, a third of a second of CPU that
``credence psychometrics ... --help`` should not pay (issue 14)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper
from tqdm import tqdm

from credence.items.api import Observation, item_statistics
from credence.psychometrics.files import (
    ResponseFileError,
    ResponseTable,
    listing,
    number_cell,
    parameters_text,
    read_parameters,
    read_responses,
    scores_text,
    write_atomically,
)
from credence.psychometrics.irt import Calibration, CalibrationError, calibrate
from credence.psychometrics.policy import (
    FitReport,
    ItemEvidence,
    ScreeningLimits,
    calibration_usable,
    model_identified,
    screen_items,
)
from credence.psychometrics.scoring import eap, mle, score_table

EXIT_PROBLEMS = 2
#: The calibration ran but must not be used: it did not converge or the model is not
#: identified (decision 0042). PARAMS.json is still written, for inspection.
EXIT_UNUSABLE = 3
#: Items whose mean squares leave this band are listed in the summary: the usual range for
#: productive items in high-stakes multiple-choice tests (Wright & Linacre 1994).
FIT_BAND = (0.7, 1.3)
SCORE_FIELDS = ["person", "presented", "correct", "theta_eap", "se_eap", "theta_mle", "se_mle"]


class Actions:
    """The three actions, writing to the command's output streams."""

    def __init__(self, stdout: OutputWrapper, stderr: OutputWrapper) -> None:
        self.stdout = stdout
        self.stderr = stderr

    def run(self, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _calibrate(
        self,
        *,
        responses: Path,
        model: str,
        out: Path,
        max_iterations: int,
        tolerance: float,
        threads: int,
        progress: bool,
        **_: Any,
    ) -> None:
        if threads < 0:
            raise CommandError("--threads must be 0 or more", returncode=EXIT_PROBLEMS)
        table = self._read_responses(responses)
        show = progress or self.stderr.isatty()
        # tqdm draws with carriage returns, so it gets the raw stream, not Django's wrapper
        # (which would end every redraw with a newline).
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=max_iterations, disable=not show, file=stream, unit="it", desc="EM") as bar:

            def report(iteration: int, change: float) -> None:
                bar.update(1)
                bar.set_postfix(change=f"{change:.2e}", refresh=False)

            try:
                calibration = calibrate(
                    table.responses,
                    table.item_ids,
                    model=model,
                    max_iterations=max_iterations,
                    tolerance=tolerance,
                    progress=report,
                    threads=threads or None,
                )
            except CalibrationError as exc:
                raise CommandError(f"{responses}: {exc}", returncode=EXIT_PROBLEMS) from None
        write_atomically(out, parameters_text(calibration))
        fit = FitReport.of(calibration)
        self._summary(calibration, out, identified=model_identified(fit).allowed)
        self._screening(calibration, table)
        usable = calibration_usable(fit)
        if not usable.allowed:
            raise CommandError(f"{out}: NOT usable: {usable.reason}", returncode=EXIT_UNUSABLE)

    def _screening(self, calibration: Calibration, table: ResponseTable) -> None:
        """List the items the screening flags (decision 0042), with the point-biserial over
        the same responses; no drift here, the file has no previous calibration."""
        data = table.responses
        statistics = {
            stats.item: stats
            for stats in item_statistics(
                [
                    Observation(candidate=str(person), item=column, share=float(value))
                    for person, column in zip(*np.nonzero(~np.isnan(data)), strict=True)
                    for value in (data[person, column],)
                ]
            )
        }
        evidence = [
            ItemEvidence(
                id=item.id,
                a=item.a,
                b=item.b,
                se_a=item.se_a,
                se_b=item.se_b,
                infit=item.infit,
                outfit=item.outfit,
                responses=statistics[column].n if column in statistics else 0,
                point_biserial=statistics[column].discrimination if column in statistics else None,
            )
            for column, item in enumerate(calibration.items)
        ]
        limits = ScreeningLimits(min_responses=settings.CREDENCE_ITEM_MIN_RESPONSES)
        for screen in screen_items(evidence, model=calibration.model, limits=limits):
            for flag in screen.flags:
                self.stdout.write(f"  flagged {screen.item} ({flag.code}): {flag.reason}")

    def _summary(self, calibration: Calibration, out: Path, *, identified: bool) -> None:
        # EM stops on an unidentified model too (a 2PL on one item): that is no convergence
        state = "converged" if calibration.converged else "NOT converged"
        if not identified:
            state = "UNIDENTIFIED model, stopped"
        self.stdout.write(
            f"{calibration.model}: {len(calibration.items)} items, {calibration.persons} "
            f"persons, {calibration.responses} responses"
        )
        self.stdout.write(
            f"{state} after {calibration.iterations} iterations (last change "
            f"{calibration.final_change:.2e}), log-likelihood {calibration.log_likelihood:.2f}"
        )
        low, high = FIT_BAND
        misfits = [
            item
            for item in calibration.items
            if not (low <= item.infit <= high and low <= item.outfit <= high)
        ]
        for item in misfits:
            self.stdout.write(
                f"  misfit {item.id}: infit {item.infit:.2f}, outfit {item.outfit:.2f}"
            )
        self.stdout.write(f"wrote {out}")

    def _score(self, *, parameters: Path, responses: Path, out: Path, **_: Any) -> None:
        calibration = self._read_parameters(parameters)
        table = self._read_responses(responses)
        by_id = {item.id: item for item in calibration.items}
        unknown = [item_id for item_id in table.item_ids if item_id not in by_id]
        if unknown:
            raise CommandError(
                f"{responses}:1: items not in {parameters}: {listing(unknown)}",
                returncode=EXIT_PROBLEMS,
            )
        a = np.array([by_id[item_id].a for item_id in table.item_ids])
        b = np.array([by_id[item_id].b for item_id in table.item_ids])
        theta_eap, se_eap = eap(table.responses, a, b)
        theta_mle, se_mle = mle(table.responses, a, b)
        presented = (~np.isnan(table.responses)).sum(axis=1)
        correct = np.nansum(table.responses, axis=1)
        rows = [
            {
                "person": person,
                "presented": int(presented[i]),
                "correct": int(correct[i]),
                "theta_eap": number_cell(theta_eap[i]),
                "se_eap": number_cell(se_eap[i]),
                "theta_mle": number_cell(theta_mle[i]),
                "se_mle": number_cell(se_mle[i]),
            }
            for i, person in enumerate(table.person_ids)
        ]
        write_atomically(out, scores_text(rows, SCORE_FIELDS))
        self.stdout.write(f"scored {len(rows)} persons on {len(table.item_ids)} items: {out}")

    def _table(self, *, parameters: Path, items: str | None, **_: Any) -> None:
        calibration = self._read_parameters(parameters)
        chosen = list(calibration.items)
        if items is not None:
            wanted = [item_id.strip() for item_id in items.split(",") if item_id.strip()]
            by_id = {item.id: item for item in calibration.items}
            unknown = [item_id for item_id in wanted if item_id not in by_id]
            if not wanted or unknown:
                raise CommandError(
                    f"--items: not in {parameters}: {listing(unknown) or '(none given)'}",
                    returncode=EXIT_PROBLEMS,
                )
            chosen = [by_id[item_id] for item_id in dict.fromkeys(wanted)]
        rows = score_table(np.array([i.a for i in chosen]), np.array([i.b for i in chosen]))
        self.stdout.write(
            f"{'raw':>4} {'theta_eap':>10} {'se_eap':>8} {'theta_mle':>10} {'se_mle':>8}"
        )
        for row in rows:
            self.stdout.write(
                f"{row.raw:>4} {row.theta_eap:>10.3f} {row.se_eap:>8.3f} "
                f"{row.theta_mle:>10.3f} {number_cell(row.se_mle, 3):>8}"
            )

    def _read_responses(self, path: Path) -> ResponseTable:
        try:
            return read_responses(path)
        except ResponseFileError as exc:
            self._fail(path, exc)

    def _read_parameters(self, path: Path) -> Calibration:
        try:
            return read_parameters(path)
        except ResponseFileError as exc:
            self._fail(path, exc)

    def _fail(self, path: Path, exc: ResponseFileError) -> NoReturn:
        for problem in exc.problems:
            self.stderr.write(problem.format(str(path)))
        if exc.more:
            self.stderr.write(f"{path}: … and {exc.more} more problems")
        count = exc.count
        raise CommandError(
            f"{path}: {count} problem{'s' if count != 1 else ''}", returncode=EXIT_PROBLEMS
        ) from None
