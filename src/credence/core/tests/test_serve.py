"""`credence serve` runs the background task worker beside the web server, as an operator
starts it: in its own process, on a fresh SQLite file, on a free loopback port. A task queued
through the product's own code path (the daily expiry-reminder job) is worked while the server
runs, and stopping the server's process group leaves no process behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CREDENCE = [sys.executable, "-m", "credence"]

# A certificate through the services (two passed evaluations award it, R5), valid until
# 2026-04-08; then the daily job, 30 days before expiry, queues its reminder mail.
QUEUE_A_REMINDER = """
from datetime import date
from decimal import Decimal
from django.core.management import call_command
from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.services import attempt_book, attempt_record_result

call_command("program", "load", verbosity=0)
office = User.objects.create_user("office@example.invalid", None, full_name="Olivia Office")
user_assign_role(user=office, role=Role.STAFF, acting_user=None)
holder = User.objects.create_user("holder@example.invalid", None, full_name="Hanna Holder")
for evaluation, held_on in (("knowledge-test", date(2021, 3, 1)), ("portfolio", date(2021, 4, 1))):
    attempt = attempt_book(candidate=holder, certification="ml-expert", evaluation=evaluation,
                           held_on=held_on, acting_user=holder)
    attempt_record_result(attempt=attempt, score=Decimal(80), released_on=date(2021, 4, 8),
                          acting_user=office)
call_command("credentials", "remind", "--today", "2026-03-09")
"""


def environment(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CREDENCE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{var_dir / 'credence.sqlite3'}",
        # mail is written as files into var/mail: what the worker sent can be read back
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }


def run(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CREDENCE, *args],
        env=environment(var_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, found: Callable[[], object], seconds: float = 120) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:  # not listening yet
        return None


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def var_dir(tmp_path: Path, copy_migrated: Callable[[Path], Path]) -> Path:
    # a fresh file `credence migrate` set up (made once per test process, copied here)
    copy_migrated(tmp_path / "credence.sqlite3")
    return tmp_path


@pytest.fixture
def served(var_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, int]]:
    port = free_port()
    log = var_dir / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*CREDENCE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=environment(var_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal would give it
        )
    try:
        yield server, log, port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_serve_works_queued_tasks_and_its_process_group_ends_cleanly(served, var_dir):
    server, log, port = served
    started = wait_for(
        "the worker's line",
        lambda: re.search(r"Background task worker running \(pid (\d+)\)", log.read_text()),
    )
    worker_pid = int(started.group(1))  # type: ignore[attr-defined]
    assert wait_for("the web server", lambda: answers(f"http://127.0.0.1:{port}/")) == 200

    queued = run(var_dir, "shell", "-c", QUEUE_A_REMINDER)
    assert queued.returncode == 0, queued.stderr

    def statuses() -> list[tuple[str, str]]:
        with sqlite3.connect(var_dir / "credence.sqlite3") as db:
            return db.execute(
                "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
            ).fetchall()

    # two results released, the certificate they earn, its expiry reminder: four mails
    expected = sorted(
        [
            ("credence.credentials.tasks.send_certificate_issued", "SUCCESSFUL"),
            ("credence.credentials.tasks.send_expiry_reminder", "SUCCESSFUL"),
            *[("credence.exams.tasks.send_result_released", "SUCCESSFUL")] * 2,
        ]
    )
    done = wait_for(
        "the tasks to finish",
        lambda: (
            rows
            if len(rows := [r for r in statuses() if r[1] in ("SUCCESSFUL", "FAILED")]) == 4
            else None
        ),
    )
    assert sorted(done) == sorted(statuses()) == expected
    mails = [p.read_text() for p in (var_dir / "mail").iterdir()]
    assert len(mails) == 4 and all("holder@example.invalid" in m for m in mails)
    [reminder] = [m for m in mails if "expires on" in m]
    # Nothing named a public address: the server recorded its own, and the worker, another
    # process, links the holder to it (decision 0033).
    assert f"Links in mails and certificates name http://127.0.0.1:{port}" in log.read_text()
    assert "Subject: [Credence] Your certificate" in reminder
    assert f"http://127.0.0.1:{port}/certificates/CRD-" in reminder

    os.killpg(server.pid, signal.SIGTERM)  # what a supervisor or the terminal's Ctrl+C does

    assert server.wait(timeout=60) == 0
    assert gone(worker_pid)
    assert group_gone(server.pid)
    assert group_gone(worker_pid)


def test_no_worker_leaves_tasks_to_a_separate_worker(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [*CREDENCE, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        first_line = server.stdout.readline().decode()  # type: ignore[union-attr]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert first_line.startswith("No background task worker")
    assert "`credence worker`" in first_line
