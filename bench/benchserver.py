"""Served processes for the load benchmarks: ``credence serve`` and ``credence worker``, each in
its own process group on a free port, started with a bounded wait that says why it failed and
always stopped (the whole group) by the benchmark's ``finally``, so that no bench leaves a
server listening and several benches can run at the same time.

    with Fleet() as fleet:
        server = fleet.serve(env, workers=3)
        worker = fleet.worker(env)
        ...  # fleet's exit stops both, whatever happened
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

CREDENCE = [sys.executable, "-m", "credence"]


class StartupError(RuntimeError):
    """A served process that did not come up; the message carries its stderr's tail."""


def free_port() -> int:
    """A port no one listens on now (the kernel's choice), so that benches do not collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """One served process in its own process group (SIGKILL reaches every gunicorn worker)."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], *, port: int | None = None
    ) -> None:
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.process: subprocess.Popen[bytes] | None = None
        log_dir = Path(env.get("CREDENCE_VAR_DIR") or tempfile.gettempdir())
        self.log = log_dir / f"{name}.stderr"

    def start(self, timeout: float = 90) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        if self.port is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise StartupError(f"the {self.name} exited at start-up: {self.stderr_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()  # any answer: the workers serve
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        self.stop()
        raise StartupError(
            f"the {self.name} did not start within {timeout:g} s: {self.stderr_tail()}"
        )

    def stderr_tail(self, size: int = 2000) -> str:
        try:
            text = self.log.read_bytes()[-size:].decode(errors="replace").strip()
        except OSError:
            text = ""
        return text or "(nothing on stderr)"

    def children(self) -> list[int]:
        """The pids of the gunicorn workers (the master's children)."""
        if self.process is None:
            return []
        try:
            path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL the whole process group, as a power cut or the OOM killer would."""
        if self.process is not None:
            _signal_group(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, grace: float = 15) -> None:
        """SIGTERM, then SIGKILL whatever of the group is left after ``grace`` seconds."""
        if self.process is None:
            return
        _signal_group(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=grace)
        # the master gone, a worker that missed its signal would still hold the port
        _signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def login(user: object) -> str:
    """A signed-in session for ``user``, as the login page would leave it: its cookie value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store.create()
    return str(store.session_key)


class Fleet:
    """Every process a bench starts; leaving the ``with`` block stops them all."""

    def __init__(self) -> None:
        self.processes: list[Process] = []

    def serve(self, env: dict[str, str], *, workers: int, timeout: float = 90) -> Process:
        port = free_port()
        argv = [*CREDENCE, "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = Process(
            f"server-{port}",
            [*argv, "--workers", str(workers), "--no-worker"],
            env,
            port=port,
        )
        self.processes.append(process)
        process.start(timeout)
        return process

    def worker(self, env: dict[str, str]) -> Process:
        name = f"worker-{len(self.processes)}"
        argv = [*CREDENCE, "worker", "--queue-name", "*", "--no-reload", "--worker-id", name]
        process = Process(name, argv, env)
        self.processes.append(process)
        process.start()
        return process

    def __enter__(self) -> Fleet:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for process in self.processes:
            process.stop()
