"""``credence serve``: the production WSGI server (gunicorn), not Django's runserver, and
beside it the background task worker (``credence worker``), a child process it starts and
stops with itself, so that evidence reports, calibrations, e-mail and reminders get done."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from credence.core import public


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from credence.wsgi import application

        return application


# How long a task the worker is running may take to finish when the server stops; then it
# is ended (and recorded as failed, to be run again by hand) rather than left half done.
WORKER_GRACE_SECONDS = 10


def _die_with_parent() -> None:
    """In the worker, before it runs: on Linux, the kernel sends it SIGTERM should ``serve``
    itself be killed outright (no ``finally`` runs then), so no worker is left behind."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))


def start_worker() -> subprocess.Popen[bytes]:
    """``credence worker`` on every queue, in its own process group: a Ctrl+C in the terminal
    reaches the server, which then stops the worker with one SIGTERM (a second signal would
    abort the task it is running instead of letting it finish)."""
    return subprocess.Popen(
        [sys.executable, "-m", "credence", "worker", "--queue-name", "*", "--no-reload"],
        process_group=0,
        # preexec_fn is unsafe once threads run; none do yet (gunicorn starts afterwards)
        preexec_fn=_die_with_parent,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Let the worker finish the task it is running, then end it."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=WORKER_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        worker.terminate()  # the second signal: the worker records the task as failed
        try:
            worker.wait(timeout=5)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _public_url(host: str, port: int) -> str:
    """The public address every absolute link is built from (decision 0033). Left unset on a
    local server, it is this server's own address, recorded as `credence demo` records it so
    that the worker and the CLI agree; a public address set or recorded before stays as it is
    (certificates signed under it name it)."""
    configured = os.environ.get("CREDENCE_PUBLIC_URL") or os.environ.get("CREDENCE_ISSUER_DOMAIN")
    guessed = not configured and not Path(settings.PUBLIC_URL_FILE).is_file()
    if guessed and host in LOOPBACK and urlsplit(settings.CREDENCE_PUBLIC_URL).hostname in LOOPBACK:
        return public.use_local_address(host=host, port=port)
    return settings.CREDENCE_PUBLIC_URL


def links_note(public_url: str, port: int) -> str:
    """What to say when the links name another local server than this one (a demo set up on
    another port): they would open nothing, or the wrong server."""
    public = urlsplit(public_url)
    if public.hostname not in LOOPBACK or public.port == port:
        return ""
    return (
        f"They do not open this server (port {port}): set CREDENCE_PUBLIC_URL, or set the demo "
        f"up again with `credence demo --port {port}`."
    )


class Command(BaseCommand):
    help = (
        "Serve Credence with gunicorn (set WEB_CONCURRENCY for the number of workers) and run "
        "the background task worker beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the background task worker (run `credence worker` elsewhere)",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any
    ) -> None:
        # before the worker starts, so that it reads the address recorded for this server
        public_url = _public_url(host, port)
        worker = None
        if no_worker:
            self.stdout.write(
                "No background task worker: evidence reports, calibrations, e-mail and "
                "reminders wait in the queue until `credence worker` runs."
            )
        else:
            worker = start_worker()
            self.stdout.write(
                f"Background task worker running (pid {worker.pid}): evidence reports, "
                "calibrations, e-mail, reminders."
            )
        self.stdout.write(f"Serving Credence on http://{host}:{port}/ (Ctrl+C stops)")
        self.stdout.write(f"Links in mails and certificates name {public_url}")
        if note := links_note(public_url, port):
            self.stdout.write(note)
        self.stdout.flush()
        owner = os.getpid()
        try:
            _Gunicorn(
                {
                    "bind": f"{host}:{port}",
                    "workers": workers,
                    "accesslog": "-",
                    # The demo's SQLite file is opened per worker; a short graceful timeout
                    # keeps Ctrl+C snappy.
                    "graceful_timeout": 5,
                }
            ).run()
        finally:
            # gunicorn's web workers are forks of this process and leave through here too:
            # only the process that started the task worker stops it.
            if worker is not None and os.getpid() == owner:
                stop_worker(worker)
