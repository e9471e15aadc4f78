"""The files of the psychometrics commands, read and written directly (no command around
them): the problem cap, the line of a CSV syntax error, the mode of written files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credence.psychometrics.files import (
    MAX_PROBLEMS,
    MAX_QUOTED,
    ResponseFileError,
    listing,
    parse_responses,
    read_responses,
    write_atomically,
)
from credence.psychometrics.services import StandardSettingError, ratings_from_csv


def problems_of(text: str) -> ResponseFileError:
    with pytest.raises(ResponseFileError) as failure:
        parse_responses(StringIO(text))
    return failure.value


def test_a_garbage_header_is_listed_up_to_the_cap_and_the_rest_counted() -> None:
    # a one-line header of 100,000 empty cells: each is a problem, as many as the file holds
    error = problems_of("person" + "," * 100_000 + "\nc1" + ",1" * 100_000 + "\n")
    assert len(error.problems) == MAX_PROBLEMS
    assert error.more == 100_000 - MAX_PROBLEMS
    assert error.count == 100_000
    assert str(error).endswith(f"… and {100_000 - MAX_PROBLEMS} more problems")
    assert all(problem.line == 1 for problem in error.problems)


def test_the_cap_spans_the_header_and_the_rows() -> None:
    header_problems = MAX_PROBLEMS - 2
    header = "person,q1" + ",q1" * header_problems
    rows = "".join(f"c{i},x" + ",1" * header_problems + "\n" for i in range(10))
    error = problems_of(header + "\n" + rows)
    assert [p.line for p in error.problems[-2:]] == [2, 3]  # the first two rows' bad cells
    assert error.more == 8


def test_a_long_cell_is_quoted_short() -> None:
    error = problems_of("person,q1\nc1," + "y" * 100_000 + "\n")
    (problem,) = error.problems
    assert len(problem.message) < 120
    assert "(100000 characters)" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # a stray quote inside a cell, on the third line
        ('person,q1\nc1,1\nc2,"0"1\nc3,0\n', 3, "',' expected after '\"'"),
        # a quote opened on line 3 and never closed: found at the end, named where it began
        ('person,q1\nc1,1\n"c2,0\nc3,1\nc4,0\n', 5, "the row that begins on line 3"),
        # a field beyond the csv module's limit
        ("person,q1\nc1,1\nc2,1\nc3," + "1" * 200_000 + "\n", 4, "field larger than"),
    ],
)
def test_csv_syntax_errors_are_reported_at_their_line(text: str, line: int, message: str) -> None:
    error = problems_of(text)
    assert error.problems[-1].line == line
    assert "not valid CSV" in error.problems[-1].message
    assert message in error.problems[-1].message


def test_problems_before_a_syntax_error_are_kept() -> None:
    error = problems_of('person,q1\nc1,2\nc2,"0"1\n')
    assert [(p.line, p.column) for p in error.problems] == [(2, 2), (3, None)]


def test_rows_are_numbered_by_the_line_they_begin_on() -> None:
    # a quoted person id over two lines moves every later row down a line
    error = problems_of('person,q1\n"c\n1",1\nc2,x\n')
    assert [(p.line, p.column) for p in error.problems] == [(4, 2)]


def test_bytes_that_are_not_utf8_are_reported_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("person,q1\nc1,1\nJürgen,1\n".encode("latin-1"))
    with pytest.raises(ResponseFileError) as failure:
        read_responses(path)
    assert failure.value.problems[0].line == 3


@pytest.fixture
def umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    path = tmp_path / "out" / "PARAMS.json"
    write_atomically(path, "{}\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode
    write_atomically(path, "{}\n")  # replacing it, too
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_text() == "{}\n"
    assert [p.name for p in path.parent.iterdir()] == ["PARAMS.json"]  # no temporary left


def test_the_command_prints_a_bounded_list_for_a_2_mb_garbage_header(tmp_path: Path) -> None:
    responses = tmp_path / "garbage.csv"
    # 2 MB on one line: "x," repeated, so every item id after the first is a duplicate
    responses.write_text("person," + "x," * 1_000_000 + "\nc1,1\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "psychometrics",
            "calibrate",
            str(responses),
            "--out",
            str(tmp_path / "p.json"),
            stdout=StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert len(err.getvalue()) < 10_000
    # 999,999 duplicates, one empty id at the end, and the short row
    assert lines[-1] == f"{responses}: … and {1_000_001 - MAX_PROBLEMS} more problems"
    assert str(failure.value).endswith("1000001 problems")
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize(
    ("sheet", "line"),
    [
        # blank lines count, as in an editor: Eve's short row is on line 5
        ("panellist,1,2\n\nAda,0.5,0.6\n\nEve,0.5\n", 5),
        # a stray quote on line 3
        ('panellist,1\nAda,0.5\nBen,"0.6"0\n', 3),
        # a panellist's name over two lines moves the bad value to line 4
        ('panellist,1\n"Ada\nLovelace",0.5\nBen,high\n', 4),
    ],
)
def test_a_ratings_sheets_problem_is_named_at_its_real_line(sheet: str, line: int) -> None:
    with pytest.raises(StandardSettingError, match=f"^Line {line}[:,]"):
        ratings_from_csv(sheet)


def test_names_in_a_message_are_listed_up_to_the_cap() -> None:
    assert listing(["q1", "q2"]) == "q1, q2"
    names = [f"item-{i}" for i in range(100_000)]
    text = listing(names)
    assert text.endswith(f"item-{MAX_PROBLEMS - 1} … and {100_000 - MAX_PROBLEMS} more")
    assert len(listing(["x" * 10_000])) < MAX_QUOTED + 5


def test_scoring_a_file_of_many_unknown_items_says_so_in_one_short_line(tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text('{"model": "2pl", "items": [{"id": "q1", "a": 1, "b": 0}]}')
    responses = tmp_path / "responses.csv"
    items = [f"u{i}" for i in range(20_000)]
    responses.write_text("person," + ",".join(items) + "\nc1" + ",1" * 20_000 + "\n")
    with pytest.raises(CommandError) as failure:
        call_command(
            "psychometrics",
            "score",
            str(params),
            str(responses),
            "--out",
            str(tmp_path / "s.csv"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert len(str(failure.value)) < 1_000
    assert str(failure.value).endswith(f"… and {20_000 - MAX_PROBLEMS} more")
