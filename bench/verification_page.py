"""Benchmark of the public verification page against a trivial page of the same server
(issue 14, item 2). Not a test: prints JSON.

The reference is the issuer's DID document (``/.well-known/did.json``: one small query and a
JSON dump), the floor of what the server answers. Against it, in the same run and on the same
``credence serve`` (gunicorn, sync workers, as the program office runs it; the task worker
left out with ``--no-worker``), the verification page (HTML) and its JSON variant, over
``--certificates`` certificates in turn, as hiring managers would check different ones.

Each round measures the three endpoints one after another for ``--seconds`` each, the order
rotated from round to round, after one untimed warm-up round (the first request a worker gets
for a certificate verifies its signatures). The load generator keeps ``--connections``
requests in flight (gunicorn's sync workers close the connection after every response, so
each request opens its own); it runs on the same machine, so it takes the same share from
every endpoint. Reported: each endpoint's median requests/s over the rounds with the
spread, and the ratio page ÷ DID document per round (median and spread).

    .venv/bin/python bench/verification_page.py [--rounds 7] [--seconds 3]
        [--connections 8] [--workers 2] [--certificates 20]

With a PostgreSQL ``DATABASE_URL`` it runs on a throwaway database beside the one named
(``benchdb``); without, on a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchdb import bench_database

CEILING = "did_document"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _set_up(count: int) -> list[str]:
    """Migrate, load the program, certify ``count`` candidates and sign their credentials;
    return the certificates' serials."""
    from django.core.management import call_command

    from credence.accounts.models import User
    from credence.credentials import services
    from credence.credentials.models import Certificate
    from credence.exams.services import attempt_book, attempt_record_result

    call_command("migrate", verbosity=0)
    call_command("program", "load", stdout=io.StringIO())
    office = User.objects.create_user("office@bench.invalid", "x" * 12, full_name="Office")
    start = date.today() - timedelta(days=90)
    serials = []
    for number in range(count):
        holder = User.objects.create_user(
            f"holder{number}@bench.invalid", "x" * 12, full_name=f"Ada Bench {number}"
        )
        for evaluation, day in (("knowledge-test", start), ("portfolio", start + timedelta(21))):
            attempt = attempt_book(
                candidate=holder,
                certification="ml-expert",
                evaluation=evaluation,
                held_on=day,
                acting_user=holder,
            )
            attempt_record_result(
                attempt=attempt,
                score=Decimal(80 + number % 20),
                released_on=day,
                acting_user=office,
            )
        certificate = Certificate.objects.get(holder=holder)
        services.credential_issue(certificate=certificate)
        serials.append(certificate.serial)
    return serials


def _get(port: int, path: str) -> bool:
    """One GET on a fresh connection, read to the end; True for a 200."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(request.encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks[:1])[9:12] == b"200"


def _load(port: int, paths: list[str], seconds: float, connections: int) -> dict[str, Any]:
    """``connections`` clients, each sending GETs one after another over ``paths`` in turn
    for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        mine: list[float] = []
        failed, turn = 0, offset
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            try:
                ok = _get(port, path)
            except OSError:
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def ms(p: float) -> float | None:
        if not latencies:
            return None
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "errors": errors[0],
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": ms(0.50),
        "p99_ms": ms(0.99),
    }


def _wait_until_serving(server: subprocess.Popen[bytes], port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"credence serve exited at start-up (code {server.returncode})")
        try:
            if _get(port, "/.well-known/did.json"):
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"credence serve did not answer within {timeout:g} s")


def _spread(values: list[float], digits: int = 1) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def _machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--certificates", type=int, default=20)
    parser.add_argument("--start-timeout", type=float, default=90)
    args = parser.parse_args()

    port = _free_port()
    clean_up = bench_database(
        CREDENCE_ISSUER_DOMAIN=f"127.0.0.1:{port}",
        CREDENCE_PUBLIC_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        serials = _set_up(args.certificates)
        endpoints = {
            CEILING: ["/.well-known/did.json"],
            "verification_page": [f"/certificates/{s}/" for s in serials],
            "verification_json": [f"/certificates/{s}/verification.json" for s in serials],
        }
        load_before = _machine()["load_average"]
        command = [sys.executable, "-m", "credence", "serve", "--host", "127.0.0.1"]
        server = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(args.workers), "--no-worker"],
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_until_serving(server, port, args.start_timeout)
        for paths in endpoints.values():  # warm-up: every worker verifies every certificate
            _load(port, paths, 1, args.connections)
        names = list(endpoints)
        rounds: list[dict[str, Any]] = []
        for number in range(args.rounds):
            order = names[number % len(names) :] + names[: number % len(names)]
            rounds.append(
                {
                    name: _load(port, endpoints[name], args.seconds, args.connections)
                    for name in order
                }
            )
    finally:
        if server is not None:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        clean_up()

    summary: dict[str, Any] = {}
    for name in names:
        summary[name] = {
            "per_second": _spread([r[name]["per_second"] for r in rounds]),
            "p50_ms": _spread([r[name]["p50_ms"] or 0 for r in rounds]),
            "p99_ms": _spread([r[name]["p99_ms"] or 0 for r in rounds]),
            "errors": sum(r[name]["errors"] for r in rounds),
        }
        if name != CEILING:
            ratios = [
                r[name]["per_second"] / r[CEILING]["per_second"]
                for r in rounds
                if r[CEILING]["per_second"]
            ]
            summary[name]["share_of_did_document"] = _spread(ratios, 3)
    print(
        json.dumps(
            {
                "machine": _machine() | {"load_average_before": load_before},
                "settings": {
                    "rounds": args.rounds,
                    "seconds_each": args.seconds,
                    "connections": args.connections,
                    "gunicorn_workers": args.workers,
                    "certificates": args.certificates,
                    "database": os.environ["DATABASE_URL"].split(":", 1)[0],
                },
                "summary": summary,
                "rounds": rounds,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
