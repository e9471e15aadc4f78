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
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np

from credence.psychometrics.irt import Calibration, CalibrationError

#: More problems than this are counted, not listed: a file that wrong needs fixing at its
#: source, and the list must stay short whatever the file holds (a header of a hundred
#: thousand bad cells once printed 6 MB; decision 0046).
MAX_PROBLEMS = 50
#: A cell's text is quoted in a message up to this many characters.
MAX_QUOTED = 40
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
    """The problems of a file: the first ``MAX_PROBLEMS`` listed, ``more`` others counted."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        summary = "; ".join(problem.format("") for problem in problems)
        super().__init__(summary + (f"; … and {more} more problems" if more else ""))

    @property
    def count(self) -> int:
        return len(self.problems) + self.more


class Problems:
    """Collects a file's problems in the order found: every part of the file (header, rows,
    its end) shares one cap, past which problems are only counted."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.more = 0

    def add(self, line: int, column: int | None, message: str) -> None:
        if len(self.listed) < MAX_PROBLEMS:
            self.listed.append(Problem(line, column, message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def error(self) -> ResponseFileError:
        return ResponseFileError(self.listed, self.more)


def quoted(cell: str) -> str:
    """``repr`` of a cell for a message, shortened: a 2 MB cell must not make a 2 MB line."""
    if len(cell) <= MAX_QUOTED:
        return repr(cell)
    return f"{cell[:MAX_QUOTED]!r}… ({len(cell)} characters)"


def listing(names: Sequence[str], limit: int = MAX_PROBLEMS) -> str:
    """Names for a message, comma-separated: the first ``limit``, each shortened, then how
    many more (a header of a hundred thousand unknown items makes one short line)."""
    shown = ", ".join(
        name if len(name) <= MAX_QUOTED else f"{name[:MAX_QUOTED]}…" for name in names[:limit]
    )
    more = len(names) - limit
    return f"{shown} … and {more} more" if more > 0 else shown


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
        line = _undecodable_line(path)
        message = f"not UTF-8 text ({exc.reason})"
        raise ResponseFileError([Problem(line, None, message)]) from None
    except OSError as exc:
        raise ResponseFileError([Problem(1, None, exc.strerror or str(exc))]) from None


def _undecodable_line(path: Path) -> int:
    """The line of a file's first byte that is not UTF-8 (text mode decodes in blocks and
    cannot say); read again only when the file is known to be wrong."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


class CsvSyntaxError(ValueError):
    """Text that is not CSV, found on ``line`` in the row that ``begins`` on its line."""

    def __init__(self, line: int, begins: int, reason: str) -> None:
        self.line = line
        self.begins = begins
        self.reason = reason
        super().__init__(self.problem.format(""))

    @property
    def problem(self) -> Problem:
        message = f"not valid CSV: {self.reason}"
        if self.begins < self.line:
            message += f" (in the row that begins on line {self.begins})"
        return Problem(self.line, None, message)


def csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV text with the line each starts on; a syntax error (a stray or
    unclosed quote, an oversized field) raises CsvSyntaxError at the line where it is
    found, naming the line the row began on when that is another (an unclosed quote
    swallows every line after it).

    The reader is strict: Python's lenient default reads ``1,"0"1`` as the cell ``01`` and
    an unclosed quote as one long cell, hiding the mistake behind a later, stranger one."""
    reader = csv.reader(lines, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvSyntaxError(max(reader.line_num, 1), start, str(exc)) from None
        yield start, row
        start = reader.line_num + 1


def parse_responses(lines: Iterable[str]) -> ResponseTable:
    problems = Problems()
    try:
        return _parse_responses(csv_rows(lines), problems)
    except CsvSyntaxError as exc:
        # what was found before the syntax error still counts; nothing after it can be read
        problems.add(exc.problem.line, exc.problem.column, exc.problem.message)
        raise problems.error() from None


def _parse_responses(rows_of: Iterator[tuple[int, list[str]]], problems: Problems) -> ResponseTable:
    first = next(rows_of, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise ResponseFileError([Problem(1, None, "the file is empty; expected a header row")])
    header_line, header = first
    item_ids = _item_ids(header_line, header, problems)
    person_ids: list[str] = []
    rows: list[list[float]] = []
    first_line: dict[str, int] = {}
    for line, row in rows_of:
        if not any(cell.strip() for cell in row):
            continue  # blank lines (e.g. at the end) carry no person
        person_id = row[0].strip()
        if not person_id:
            problems.add(line, 1, "empty person id")
        elif person_id in first_line:
            problems.add(
                line, 1, f"person {quoted(person_id)} already on line {first_line[person_id]}"
            )
        else:
            first_line[person_id] = line
        if len(row) != len(header):
            problems.add(line, None, f"{len(row)} cells, but the header has {len(header)}")
            continue
        values: list[float] = []
        for column, cell in enumerate(row[1:], start=2):
            value = CELL_VALUES.get(cell.strip())
            if value is None:
                problems.add(line, column, f"{quoted(cell)} is not 1, 0 or empty (not presented)")
            values.append(math.nan if value is None else value)
        person_ids.append(person_id)
        rows.append(values)
    if not rows and not problems:
        problems.add(
            header_line + 1, None, "no persons: expected a row per person after the header"
        )
    if problems:
        raise problems.error()
    return ResponseTable(
        person_ids=tuple(person_ids),
        item_ids=tuple(item_ids),
        responses=np.array(rows, dtype=float).reshape(len(rows), len(item_ids)),
    )


def _item_ids(header_line: int, header: list[str], problems: Problems) -> list[str]:
    """The item ids the header row names after the person column, stripped; an empty or
    repeated id is a problem at its column (the row is read on to report every one)."""
    item_ids = [cell.strip() for cell in header[1:]]
    if not item_ids:
        problems.add(header_line, None, "the header names no items after the person column")
    first_column: dict[str, int] = {}
    for column, item_id in enumerate(item_ids, start=2):
        if not item_id:
            problems.add(header_line, column, "empty item id")
        elif item_id in first_column:
            problems.add(
                header_line,
                column,
                f"item {quoted(item_id)} already in column {first_column[item_id]}",
            )
        else:
            first_column[item_id] = column
    return item_ids


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
    """Write the whole file or nothing: a temporary file beside it, renamed over it.

    The temporary file is created with mode 0666 and the process's umask applied by the
    kernel, as ``open(path, "w")`` would: ``tempfile.mkstemp`` makes it 0600, which left
    PARAMS.json unreadable to the colleagues a shared umask is meant to let in (decision 0046).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # another writer's temporary file: draw another name
            continue
        break
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
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
