"""Fixtures for tests that run the ``credence`` console script in processes of its own, on a
SQLite file of their own (whatever database the test run itself uses)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh SQLite file that `credence migrate`, run as an operator runs it, set up: once per
    test process. Migrating from nothing takes seconds (more on a loaded machine) and was done
    again by every such test; each now starts from its own copy of this file."""
    var_dir = tmp_path_factory.mktemp("migrated")
    database = var_dir / "credence.sqlite3"
    env = {
        **os.environ,
        "CREDENCE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "credence", "migrate", "--no-input", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    # the process ended, so SQLite folded its write-ahead log into the file: the file is all
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{database}{suffix}").exists()
    return database


@pytest.fixture(scope="session")
def copy_migrated(migrated_sqlite: Path) -> Callable[[Path], Path]:
    """Copies the migrated SQLite file to the given path (a test's own database) and returns it."""

    def copy(to: Path) -> Path:
        shutil.copyfile(migrated_sqlite, to)
        return to

    return copy
