"""The files of the psychometrics commands: response tables (CSV) and item parameters (JSON).

A response file has a header row whose first cell names the person-id column and whose other
cells are the item ids; every further row is one person: their id, then 1 (right), 0 (wrong)
or an empty cell (not presented) per item. Reading collects every problem with its line and
column (1-based, as editors count) and raises them together, so that one run shows all of
them; nothing is returned half.
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np

from credence.psychometrics.irt import Calibration, CalibrationError

#: More problems than this are summarized: a file that wrong needs fixing at its source.
MAX_PROBLEMS = 50
CELL_VALUES = {"1": 1.0, "0": 0.0, "": math.nan}


@dataclass(frozen=True)
class Problem:
    line: int
    column: int | None
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ResponseFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.format("") for problem in problems))


@dataclass(frozen=True)
class ResponseTable:
    person_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    #: persons x items: 1.0, 0.0, nan (not presented)
    responses: np.ndarray


def read_responses(path: Path) -> ResponseTable:
    """Read and check a response CSV (see the module doc); raise ResponseFileError."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_responses(handle)
    except UnicodeDecodeError as exc:
        raise ResponseFileError([Problem(1, None, f"not UTF-8 text ({exc.reason})")]) from None
    except csv.Error as exc:
        raise ResponseFileError([Problem(1, None, f"not a CSV file ({exc})")]) from None
    except OSError as exc:
        raise ResponseFileError([Problem(1, None, exc.strerror or str(exc))]) from None


def parse_responses(lines: Iterable[str]) -> ResponseTable:
    reader = csv.reader(lines)
    problems: list[Problem] = []
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ResponseFileError([Problem(1, None, "the file is empty; expected a header row")])
    item_ids = [cell.strip() for cell in header[1:]]
    if not item_ids:
        problems.append(Problem(1, None, "the header names no items after the person column"))
    first_column: dict[str, int] = {}
    for column, item_id in enumerate(item_ids, start=2):
        if not item_id:
            problems.append(Problem(1, column, "empty item id"))
        elif item_id in first_column:
            problems.append(
                Problem(1, column, f"item {item_id!r} already in column {first_column[item_id]}")
            )
        else:
            first_column[item_id] = column

    person_ids: list[str] = []
    rows: list[list[float]] = []
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank lines (e.g. at the end) carry no person
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(line, None, "too many problems; stopped reading here"))
            break
        person_id = row[0].strip()
        if not person_id:
            problems.append(Problem(line, 1, "empty person id"))
        elif person_id in first_line:
            problems.append(
                Problem(line, 1, f"person {person_id!r} already on line {first_line[person_id]}")
            )
        else:
            first_line[person_id] = line
        if len(row) != len(header):
            problems.append(
                Problem(line, None, f"{len(row)} cells, but the header has {len(header)}")
            )
            continue
        values: list[float] = []
        for column, cell in enumerate(row[1:], start=2):
            value = CELL_VALUES.get(cell.strip())
            if value is None:
                problems.append(
                    Problem(line, column, f"{cell!r} is not 1, 0 or empty (not presented)")
                )
            values.append(math.nan if value is None else value)
        person_ids.append(person_id)
        rows.append(values)
    if not rows and not problems:
        problems.append(Problem(2, None, "no persons: expected a row per person after the header"))
    if problems:
        raise ResponseFileError(problems)
    return ResponseTable(
        person_ids=tuple(person_ids),
        item_ids=tuple(item_ids),
        responses=np.array(rows, dtype=float).reshape(len(rows), len(item_ids)),
    )


def read_parameters(path: Path) -> Calibration:
    """Read a PARAMS.json written by ``calibrate``; raise ResponseFileError on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResponseFileError([Problem(1, None, str(exc))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResponseFileError([Problem(exc.lineno, exc.colno, f"not JSON: {exc.msg}")]) from None
    try:
        return Calibration.from_json(data)
    except CalibrationError as exc:
        raise ResponseFileError([Problem(1, None, str(exc))]) from None


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def parameters_text(calibration: Calibration) -> str:
    return json.dumps(calibration.to_json(), indent=2, allow_nan=False) + "\n"


def number_cell(value: float, digits: int = 4) -> str:
    """A float for a CSV cell: empty when unknown (nan), ``inf`` for an unbounded SE."""
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}f}"


def scores_text(rows: Iterable[dict[str, Any]], fieldnames: list[str]) -> str:
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
