"""Benchmark of credential verification (issue 6). Not a test: prints JSON.

1. Offline verifications per second: a signed Open Badges 3.0 credential checked as an
   outside verifier would (Data Integrity proof with eddsa-rdfc-2022 against the DID
   document, then both status lists, each a signed credential too), with the proof memo
   cleared before every run so each one canonicalizes everything afresh.
2. The public verification page under concurrent load, compared in the same run with a
   trivial page of the same server: the DID document (/.well-known/did.json, one small
   query), the ceiling of what the server can answer.

Everything runs on this machine: a throwaway SQLite database and keys in a temporary folder,
`credence serve` (gunicorn) on 127.0.0.1, and a bounded load generator (fixed duration,
fixed number of connections). Usage:

    .venv/bin/python bench/verify.py [--seconds 10] [--connections 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(var_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "credence.settings",
            "CREDENCE_VAR_DIR": str(var_dir),
            "CREDENCE_ISSUER_DOMAIN": f"127.0.0.1:{port}",
            "CREDENCE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": "",
        }
    )
    env.pop("DATABASE_URL")
    return env


def _set_up() -> str:
    """Migrate, load the program, certify one candidate; return the certificate's serial."""
    import django

    django.setup()
    from django.core.management import call_command

    from credence.accounts.models import User
    from credence.credentials import services
    from credence.credentials.models import Certificate
    from credence.exams.services import attempt_book, attempt_record_result

    call_command("migrate", verbosity=0)
    call_command("program", "load", stdout=io.StringIO())
    office = User.objects.create_user("office@bench.invalid", "x" * 12, full_name="Office")
    holder = User.objects.create_user("holder@bench.invalid", "x" * 12, full_name="Ada Bench")
    start = date.today() - timedelta(days=90)
    for evaluation, day in (("knowledge-test", start), ("portfolio", start + timedelta(21))):
        attempt = attempt_book(
            candidate=holder,
            certification="ml-expert",
            evaluation=evaluation,
            held_on=day,
            acting_user=holder,
        )
        attempt_record_result(
            attempt=attempt, score=Decimal("88"), released_on=day, acting_user=office
        )
    certificate = Certificate.objects.get(holder=holder)
    services.credential_issue(certificate=certificate)
    return certificate.serial


def _offline(serial: str, seconds: float) -> dict[str, Any]:
    from django.utils import timezone

    from credence.credentials import dataintegrity, selectors
    from credence.credentials.models import Certificate
    from credence.credentials.statuses import Standing
    from credence.credentials.verification import verify_credential

    credential = Certificate.objects.get(serial=serial).credential
    assert credential is not None
    did_documents = {selectors.issuer_did(): selectors.did_document()}
    lists = {
        selectors.status_list_url(p): selectors.status_list_credential(p)
        for p in ("revocation", "suspension")
    }
    now = timezone.now()

    def run(with_status: bool) -> dict[str, float]:
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            dataintegrity._VERIFIED.clear()  # every run canonicalizes and checks afresh
            report = verify_credential(
                credential,
                now=now,
                did_documents=did_documents,
                status_lists=lists.get if with_status else None,
            )
            expected = Standing.VALID if with_status else Standing.STATUS_UNKNOWN
            assert report.standing == expected, report
            count += 1
        elapsed = time.perf_counter() - started
        return {
            "verifications": count,
            "seconds": round(elapsed, 2),
            "per_second": round(count / elapsed, 1),
            "ms_each": round(1000 * elapsed / count, 2),
        }

    return {"proof_only": run(False), "proof_and_both_status_lists": run(True)}


def _load(port: int, path: str, seconds: float, connections: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "path": path,
        "requests": len(latencies),
        "errors": errors[0],
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50) if latencies else None,
        "p95_ms": pct(0.95) if latencies else None,
        "p99_ms": pct(0.99) if latencies else None,
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
    }


def _wait_until_serving(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/.well-known/did.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="credence-bench-"))
    port = _free_port()
    os.environ.update(_environment(folder, port))
    os.environ.pop("DATABASE_URL", None)
    try:
        serial = _set_up()
        offline = _offline(serial, args.seconds)
        credence = Path(sys.executable).with_name("credence")
        server = subprocess.Popen(
            [
                str(credence),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=_environment(folder, port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_serving(port)
            page = f"/certificates/{serial}/"
            _load(port, page, 1, 2)  # warm each worker's caches
            results = {
                "ceiling_did_document": _load(
                    port, "/.well-known/did.json", args.seconds, args.connections
                ),
                "verification_page": _load(port, page, args.seconds, args.connections),
                "verification_json": _load(
                    port, f"{page}verification.json", args.seconds, args.connections
                ),
            }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        ceiling = results["ceiling_did_document"]["per_second"]
        print(
            json.dumps(
                {
                    "machine": _machine(),
                    "settings": {
                        "seconds": args.seconds,
                        "connections": args.connections,
                        "gunicorn_workers": args.workers,
                        "database": "SQLite",
                    },
                    "offline": offline,
                    "server": results,
                    "page_share_of_ceiling": round(
                        results["verification_page"]["per_second"] / ceiling, 3
                    )
                    if ceiling
                    else None,
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
