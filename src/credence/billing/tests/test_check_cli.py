"""The console commands end to end, as an operator runs them, on one demo set up in a SQLite
file fresh from `credence migrate` (once per module: .ci/run keeps a file's tests on one
worker; the migrated file is made once per test process and copied): `billing check`
passes (exit 0), a copy corrupted with an unbalanced row fails (exit 1, the breach named) while
the original still checks clean; and a credential the demo signed verifies in another process,
as the same issuer (the demo's address is kept in var/public_url)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, copy_migrated: Callable[[Path], Path]) -> Path:
    var_dir = tmp_path_factory.mktemp("demo-var")
    copy_migrated(var_dir / "credence.sqlite3")  # the demo's own migrate then has nothing to do
    demo = run(var_dir, "demo", "--no-serve", "--port", "8123")
    assert demo.returncode == 0, demo.stderr
    assert "Certificates are issued by http://127.0.0.1:8123" in demo.stdout
    return var_dir


def test_billing_check_passes_on_the_demo_and_fails_on_a_corrupted_copy(demo: Path):
    tmp_path = demo
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


def test_a_credential_the_demo_signed_verifies_in_every_later_process(demo: Path, tmp_path: Path):
    assert (demo / "public_url").read_text().strip() == "http://127.0.0.1:8123"
    listed = run(demo, "credentials", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    serials = [row["serial"] for row in json.loads(listed.stdout)]
    assert serials
    exported = run(demo, "credentials", "export", serials[0])
    assert exported.returncode == 0, exported.stderr
    credential = json.loads(exported.stdout)
    assert credential["issuer"]["id"] == "did:web:127.0.0.1%3A8123"
    (tmp_path / "credential.json").write_text(exported.stdout)
    verified = run(demo, "credentials", "verify", str(tmp_path / "credential.json"))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("Valid")
