"""The ``credence`` console script: a command that needs the database, run before
``credence migrate``, says so in one sentence and exits non-zero, instead of a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from credence.cli import NOT_SET_UP


def credence(tmp_path: Path, database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CREDENCE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "-m", "credence", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ("items", "import", "{file}", "--format", "gift", "--certification", "ml-expert"),
        ("items", "load", "{folder}"),
        ("billing", "check"),
    ],
)
def test_a_command_on_a_database_that_is_not_set_up_says_run_migrate(tmp_path, command):
    database = tmp_path / "fresh.sqlite3"
    database.touch()  # an empty file, as a new volume or a mistyped path gives
    (tmp_path / "items").mkdir()
    (tmp_path / "items" / "ml-expert.gift").write_text("::q:: 1+1=2 {T}\n", encoding="utf-8")
    args = [
        a.format(file=tmp_path / "items" / "ml-expert.gift", folder=tmp_path / "items")
        for a in command
    ]

    done = credence(tmp_path, database, *args)

    assert done.returncode == 1
    assert done.stderr.strip() == f"credence: {NOT_SET_UP}"
    assert "Traceback" not in done.stderr


def test_after_migrate_the_same_command_runs(tmp_path, copy_migrated):
    # a fresh file on which `credence migrate` succeeded (once per test process, see
    # src/credence/conftest.py), copied: migrating again here took seconds per run
    database = copy_migrated(tmp_path / "fresh.sqlite3")

    done = credence(tmp_path, database, "billing", "check")

    assert done.returncode == 0, done.stderr
    assert NOT_SET_UP not in done.stderr
