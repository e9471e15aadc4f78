"""The console command end to end, as an operator runs it: set up the demo in a fresh SQLite
file, check it (exit 0), corrupt a copy with an unbalanced row (exit 1, the breach named),
while the original still checks clean."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

CREDENCE = [sys.executable, "-m", "credence"]


def run(var_dir: Path, *args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CREDENCE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{db or var_dir / 'credence.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return subprocess.run(
        [*CREDENCE, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_billing_check_passes_on_the_demo_and_fails_on_a_corrupted_copy(tmp_path):
    demo = run(tmp_path, "demo", "--no-serve")
    assert demo.returncode == 0, demo.stderr
    original = tmp_path / "credence.sqlite3"
    clean = run(tmp_path, "billing", "check")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith("OK: the ledger balances")

    copy = tmp_path / "corrupted.sqlite3"
    shutil.copy(original, copy)
    for suffix in ("-wal", "-shm"):  # SQLite's write-ahead log, if the demo left one
        if Path(f"{original}{suffix}").exists():
            shutil.copy(f"{original}{suffix}", f"{copy}{suffix}")
    with sqlite3.connect(copy) as db:
        entry_id = db.execute("SELECT min(id) FROM billing_entry").fetchone()[0]
        db.execute(
            "INSERT INTO billing_line (entry_id, account, amount, candidate_id) "
            "VALUES (?, 'bank', '0.01', NULL)",
            (entry_id,),
        )
    broken = run(tmp_path, "billing", "check", db=copy)
    assert broken.returncode == 1
    assert f"BREACH: entry #{entry_id} does not balance" in broken.stderr
    assert run(tmp_path, "billing", "check").returncode == 0
