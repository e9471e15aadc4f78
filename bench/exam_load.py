"""Live-exam load benchmark (not a test): N simulated candidates (default 500) each answer the
60 items of their form with autosave (the htmx POST the test page sends) against a served
instance (gunicorn) on PostgreSQL. With ``--kill`` the server's process group is killed with
SIGKILL and restarted twice mid-run; clients retry what was not acknowledged, as the page
lets a candidate do. Afterwards every acknowledged answer is looked up in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/exam_load.py [--candidates 500] [--clients 48] [--kill]

It creates (and drops first) the database ``credence_bench`` on that server. Prints one JSON
object: throughput, p50/p95/p99 autosave latency, acknowledged and lost answers.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import queue
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "credence_bench"
TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")


def _database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database).")
    return base.rsplit("/", 1)[0] + "/" + BENCH_DB


def _fresh_database(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")


def _prepare(candidates: int) -> list[tuple[int, str, str, list[int]]]:
    """Program, bank, a session with a seat for everyone, each candidate checked in, logged in
    and started. Returns (sitting id, session cookie, csrf secret, right option per item)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from credence.accounts.models import Role, User
    from credence.accounts.services import user_assign_role
    from credence.catalog.models import Certification
    from credence.exams.delivery_selectors import shown_item
    from credence.exams.delivery_services import session_open, sitting_check_in, sitting_start
    from credence.exams.session_services import session_book, session_create, session_publish
    from credence.items.gift import parse_gift
    from credence.items.services import items_import

    quiet = io.StringIO()  # stdout is for the JSON result
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("program", "load", verbosity=0, stdout=quiet)
    bank = "\n".join(
        f"// [tag:{topic}]\n::{topic}-{n}:: Question {n} on {topic}? {{=right ~wrong ~other}}\n"
        for topic in TOPICS
        for n in range(30)
    )
    items_import(
        certification=Certification.objects.get(code="ml-expert"),
        items=parse_gift(bank),
        acting_user=None,
    )
    office = User.objects.create_user("office@example.invalid", "x" * 16, full_name="Office")
    user_assign_role(user=office, role=Role.STAFF, acting_user=None)
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue="Bench hall",
        starts_at=now + timedelta(minutes=1),
        duration_minutes=240,
        capacity=candidates,
        booking_deadline=now + timedelta(seconds=30),
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    session_open(session=session, acting_user=office, now=now)
    prepared = []
    for n in range(candidates):
        user = User.objects.create_user(f"c{n}@example.invalid", None, full_name=f"C {n}")
        booking = session_book(
            session=session, candidate=user, certification="ml-expert", acting_user=user, now=now
        )
        sitting = sitting_check_in(booking=booking, acting_user=office, now=now)
        sitting_start(sitting=sitting, candidate=user, now=timezone.now())
        rights = [
            next(o.index for o in shown_item(sitting, p).options if o.text == "right")
            for p in range(len(sitting.form))
        ]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        prepared.append((sitting.pk, store.session_key, secrets.token_hex(16), rights))
    return prepared


class Server:
    def __init__(self, port: int, env: dict[str, str], workers: int) -> None:
        self.port, self.env, self.workers = port, env, workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "credence.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,  # its own process group, so that SIGKILL reaches all
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/")
                connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not come up")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()


def _client(
    port: int,
    work: queue.Queue[tuple[int, str, str, list[int]] | None],
    acked: list[tuple[int, int, int]],
    latencies: list[float],
    counters: dict[str, int],
    lock: threading.Lock,
) -> None:
    connection: http.client.HTTPConnection | None = None
    while (job := work.get()) is not None:
        sitting, session_key, csrf, rights = job
        headers = {
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/",
        }
        for position, right in enumerate(rights):
            # candidates answer right two times in three
            choice = right if position % 3 else (right + 1) % 3
            body = f"position={position}&choice={choice}"
            for _attempt in range(200):
                started = time.perf_counter()
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request(
                        "POST", f"/sessions/test/{sitting}/answer/", body=body, headers=headers
                    )
                    response = connection.getresponse()
                    text = response.read().decode()
                except (OSError, http.client.HTTPException):
                    connection = None
                    with lock:
                        counters["retries"] += 1
                    time.sleep(0.1)
                    continue
                elapsed = time.perf_counter() - started
                if response.status == 200 and "Saved at" in text:
                    with lock:
                        acked.append((sitting, position, choice))
                        latencies.append(elapsed)
                    break
                with lock:
                    counters["refused"] += 1
                time.sleep(0.1)


def _run(prepared: list, port: int, clients: int, server: Server, kill: bool) -> dict:
    work: queue.Queue = queue.Queue()
    for job in prepared:
        work.put(job)
    for _ in range(clients):
        work.put(None)
    acked: list[tuple[int, int, int]] = []
    latencies: list[float] = []
    counters = {"retries": 0, "refused": 0}
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_client, args=(port, work, acked, latencies, counters, lock))
        for _ in range(clients)
    ]
    total = sum(len(rights) for *_, rights in prepared)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    kills = 0
    if kill:
        for share in (1 / 3, 2 / 3):
            while len(acked) < total * share and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            server.kill()
            kills += 1
            server.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return round(ms[min(int(len(ms) * p), len(ms) - 1)], 1) if ms else 0.0

    return {
        "answers": total,
        "acknowledged": len(acked),
        "seconds": round(elapsed, 1),
        "throughput_per_s": round(len(acked) / elapsed, 1),
        "autosave_ms": {
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "mean": round(statistics.fmean(ms), 1) if ms else 0.0,
        },
        "kills": kills,
        "retries": counters["retries"],
        "refused": counters["refused"],
        "acked": acked,
    }


def _lost(acked: list[tuple[int, int, int]]) -> int:
    from credence.exams.models import Response

    stored = {
        (r.sitting_id, r.position): (r.answer or {}).get("choice")
        for r in Response.objects.only("sitting_id", "position", "answer")
    }
    return sum(
        1 for sitting, position, choice in acked if stored.get((sitting, position)) != choice
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--clients", type=int, default=48, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server twice mid-run")
    args = parser.parse_args()

    url = _database_url()
    _fresh_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")
    setup_started = time.perf_counter()
    prepared = _prepare(args.candidates)
    setup = time.perf_counter() - setup_started
    env = os.environ | {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    env["PYTHONPATH"] = str(ROOT / "src")
    server = Server(args.port, env, args.workers)
    server.start()
    try:
        result = _run(prepared, args.port, args.clients, server, args.kill)
    finally:
        server.stop()
    acked = result.pop("acked")
    result["lost_acknowledged"] = _lost(acked)
    print(
        json.dumps(
            {
                "benchmark": "exam_load",
                "candidates": args.candidates,
                "items_per_candidate": len(prepared[0][3]) if prepared else 0,
                "clients": args.clients,
                "server_workers": args.workers,
                "setup_seconds": round(setup, 1),
                **result,
                "machine": {
                    "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine(),
                    "python": platform.python_version(),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
