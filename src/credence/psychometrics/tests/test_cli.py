"""`credence psychometrics calibrate|score|table` through real files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credence.psychometrics.irt import MODELS
from credence.psychometrics.management.commands import psychometrics
from credence.psychometrics.simulation import simulate


def write_responses(path: Path, responses: np.ndarray, item_ids: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", *item_ids])
        for i, row in enumerate(responses):
            writer.writerow([f"c{i:04d}", *("" if np.isnan(x) else int(x) for x in row)])
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("psychometrics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[str, str]:
    """Run a command that must fail with exit status 2; return its message and stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("psychometrics", *args, stdout=StringIO(), stderr=err)
    assert failure.value.returncode == 2
    return str(failure.value), err.getvalue()


@pytest.fixture
def sparse(tmp_path: Path) -> tuple[Path, object]:
    data = simulate(1200, 12, seed=31, missing=0.3)
    return write_responses(tmp_path / "responses.csv", data.responses, data.item_ids), data


def test_calibrate_score_and_table_round_trip(tmp_path: Path, sparse: tuple) -> None:
    responses, data = sparse
    params = tmp_path / "out" / "params.json"
    out, err = run("calibrate", str(responses), "--model", "2pl", "--out", str(params))
    assert "2pl: 12 items, 1200 persons" in out
    assert "converged after" in out
    assert err == ""  # no progress bar off a terminal
    document = json.loads(params.read_text())
    assert document["model"] == "2pl" and document["converged"] is True
    assert [item["id"] for item in document["items"]] == data.item_ids
    a = np.array([item["a"] for item in document["items"]])
    b = np.array([item["b"] for item in document["items"]])
    assert np.sqrt(np.mean((b - data.b) ** 2)) < 0.25
    assert np.sqrt(np.mean((a - data.a) ** 2)) < 0.25

    scores = tmp_path / "scores.csv"
    out, _ = run("score", str(params), str(responses), "--out", str(scores))
    assert "scored 1200 persons on 12 items" in out
    with scores.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1200
    assert rows[0]["person"] == "c0000"
    assert int(rows[0]["presented"]) == int((~np.isnan(data.responses[0])).sum())
    theta = np.array([float(row["theta_eap"]) for row in rows])
    assert np.corrcoef(theta, data.theta)[0, 1] > 0.8

    out, _ = run("table", str(params), "--items", "item-001,item-002,item-003")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["raw", "theta_eap", "se_eap", "theta_mle", "se_mle"]
    assert [line.split()[0] for line in lines[1:]] == ["0", "1", "2", "3"]
    assert lines[1].split()[-1] == "inf"


def test_rasch_and_the_progress_bar(tmp_path: Path, sparse: tuple) -> None:
    responses, _ = sparse
    params = tmp_path / "params.json"
    options = ["--model", "rasch", "--out", str(params), "--progress", "--threads", "0"]
    _, err = run("calibrate", str(responses), *options)
    assert "EM" in err and "change=" in err
    items = json.loads(params.read_text())["items"]
    assert len({item["a"] for item in items}) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ":1: the file is empty"),
        ("person\nc1\n", ":1: the header names no items"),
        ("person,q1,q2\n", ":2: no persons"),
        ("person,q1,q2\nc1,1,2\n", ":2:3: '2' is not 1, 0 or empty"),
        ("person,q1,q2\nc1,1,yes\n", ":2:3: 'yes' is not 1, 0 or empty"),
        ("person,q1,q1\nc1,1,0\n", ":1:3: item 'q1' already in column 2"),
        ("person,q1,\nc1,1,0\n", ":1:3: empty item id"),
        ("person,q1,q2\nc1,1,0\nc1,0,1\n", ":3:1: person 'c1' already on line 2"),
        ("person,q1,q2\n,1,0\n", ":2:1: empty person id"),
        ("person,q1,q2\nc1,1\n", ":2: 2 cells, but the header has 3"),
        ("person,q1,q2\nc1,1,0,1\n", ":2: 4 cells, but the header has 3"),
    ],
)
def test_bad_response_files_are_reported_by_line_and_column(
    tmp_path: Path, content: str, expected: str
) -> None:
    responses = tmp_path / "bad.csv"
    responses.write_text(content, encoding="utf-8")
    params = tmp_path / "params.json"
    message, err = refused("calibrate", str(responses), "--out", str(params))
    assert f"{responses}{expected}" in err
    assert "problem" in message
    assert not params.exists()


def test_a_negative_thread_count_is_refused(tmp_path: Path, sparse: tuple) -> None:
    responses, _ = sparse
    options = ["--out", str(tmp_path / "p.json"), "--threads", "-1"]
    message, _ = refused("calibrate", str(responses), *options)
    assert "--threads must be 0 or more" in message


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    responses = tmp_path / "bad.csv"
    responses.write_text("person,q1,q2\nc1,1,x\nc2,1,0\nc3,maybe,1\n", encoding="utf-8")
    message, err = refused("calibrate", str(responses), "--out", str(tmp_path / "p.json"))
    assert err.splitlines() == [
        f"{responses}:2:3: 'x' is not 1, 0 or empty (not presented)",
        f"{responses}:4:2: 'maybe' is not 1, 0 or empty (not presented)",
    ]
    assert message.endswith("2 problems")


def test_unreadable_files(tmp_path: Path) -> None:
    binary = tmp_path / "latin1.csv"
    binary.write_bytes("person,q1\nJürgen,1\n".encode("latin-1"))
    _, err = refused("calibrate", str(binary), "--out", str(tmp_path / "p.json"))
    assert "not UTF-8" in err
    _, err = refused("calibrate", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "p.json"))
    assert "missing.csv:1: No such file" in err


def test_items_without_an_estimate_stop_the_calibration(tmp_path: Path) -> None:
    responses = tmp_path / "extreme.csv"
    responses.write_text("person,q1,q2\nc1,1,0\nc2,1,1\nc3,1,0\n", encoding="utf-8")
    params = tmp_path / "params.json"
    message, _ = refused("calibrate", str(responses), "--out", str(params))
    assert "answered correctly by everyone who saw it: q1" in message
    assert not params.exists()


def test_bad_parameter_files_and_unknown_items(tmp_path: Path, sparse: tuple) -> None:
    responses, _ = sparse
    broken = tmp_path / "broken.json"
    broken.write_text('{"model": "2pl",\n "items": [}', encoding="utf-8")
    _, err = refused("table", str(broken))
    assert f"{broken}:2:12: not JSON" in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"model": "2pl", "items": [{"id": "q", "a": 0, "b": 1}]}))
    _, err = refused("score", str(wrong), str(responses), "--out", str(tmp_path / "s.csv"))
    assert "a must be a positive number" in err
    assert not (tmp_path / "s.csv").exists()

    params = tmp_path / "params.json"
    params.write_text(json.dumps({"model": "2pl", "items": [{"id": "item-001", "a": 1, "b": 0}]}))
    message, _ = refused("score", str(params), str(responses), "--out", str(tmp_path / "s.csv"))
    assert "items not in" in message and "item-002" in message
    message, _ = refused("table", str(params), "--items", "item-001,nope")
    assert "--items: not in" in message and "nope" in message


def test_exit_status_of_the_real_command(tmp_path: Path) -> None:
    responses = tmp_path / "bad.csv"
    responses.write_text("person,q1\nc1,2\n", encoding="utf-8")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "credence.settings"}
    command = ["psychometrics", "calibrate", str(responses), "--out", str(tmp_path / "p.json")]
    finished = subprocess.run(
        [sys.executable, "-m", "credence", *command],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert finished.returncode == 2
    assert f"{responses}:2:2: '2' is not 1, 0 or empty" in finished.stderr


def test_the_command_offers_the_models_calibrate_knows() -> None:
    # the command writes the models out so that its --help does not import numpy (issue 14)
    assert psychometrics.MODELS == MODELS


def unusable(*args: str) -> tuple[str, str]:
    """Run a calibration that must exit with status 3 (not usable); message and stdout."""
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("psychometrics", *args, stdout=out, stderr=StringIO())
    assert failure.value.returncode == 3
    return str(failure.value), out.getvalue()


@pytest.fixture(scope="module")
def small() -> object:
    return simulate(300, 10, seed=7)


def test_a_2pl_on_one_item_is_unidentified_not_converged(tmp_path: Path, small) -> None:
    responses = write_responses(tmp_path / "one.csv", small.responses[:, :1], small.item_ids[:1])
    params = tmp_path / "params.json"
    message, out = unusable("calibrate", str(responses), "--out", str(params))
    assert "NOT usable: The model is not identified" in message
    assert "UNIDENTIFIED model" in out and "converged" not in out
    assert params.exists()  # written to be inspected


def test_a_calibration_that_did_not_converge_exits_non_zero(tmp_path: Path, small) -> None:
    responses = write_responses(tmp_path / "r.csv", small.responses, small.item_ids)
    params = tmp_path / "params.json"
    message, out = unusable(
        "calibrate", str(responses), "--out", str(params), "--max-iterations", "3"
    )
    assert "did not converge: after 3 iterations" in message
    assert "NOT converged after 3 iterations" in out
    assert json.loads(params.read_text())["converged"] is False


def test_calibrate_lists_the_items_the_screening_flags(tmp_path: Path, small) -> None:
    data = small.responses.copy()
    data[:, 0] = 1 - data[:, 0]  # item-001 miskeyed: the right answer scored wrong
    responses = write_responses(tmp_path / "r.csv", data, small.item_ids)
    out, _ = run("calibrate", str(responses), "--out", str(tmp_path / "params.json"))
    flagged = [line.strip() for line in out.splitlines() if "flagged" in line]
    assert "flagged item-001 (discrimination): Negative discrimination" in "\n".join(flagged)
    assert not any(line.startswith("flagged item-002 ") for line in flagged)
