"""Concurrent-booking benchmark (issue 14; not a test): the last seats of a session, and
``--requests`` (default 100) candidates pressing "Book" at the same moment, each its own
signed-in browser, over HTTP against ``credence serve`` (``--servers 2``: two processes on one
database, the candidates taking turns between them). Afterwards the session must hold exactly
its capacity, the winners' number must be the seats that were left, and no request may have
failed. Repeated ``--rounds`` times, a fresh session each round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/booking_race.py [--requests 100] [--capacity 30] [--left 5]

Own database (``credence_bench_<pid>``, bench/benchdb.py) dropped at the end; servers on free
ports, stopped (whole process groups) whatever happens. Prints one JSON object; exits non-zero
when a session was ever over capacity.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchdb import bench_database
from benchserver import Fleet, login
from exam_load import program_and_bank

ROOT = Path(__file__).resolve().parents[1]


def _session(office: Any, number: int, capacity: int, left: int) -> Any:
    """A published session of ``capacity`` seats, all but ``left`` of them booked."""
    from django.utils import timezone

    from credence.accounts.models import User
    from credence.exams.sessions.services import session_book, session_create, session_publish

    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue=f"Bench hall {number}",
        starts_at=now + timedelta(days=30),
        duration_minutes=120,
        capacity=capacity,
        booking_deadline=now + timedelta(days=20),
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    for n in range(capacity - left):
        user = User.objects.create_user(f"early-{number}-{n}@example.invalid", None, full_name="E")
        session_book(
            session=session, candidate=user, certification="ml-expert", acting_user=user, now=now
        )
    return session


def _race(session_pk: int, cookies: list[str], ports: list[int]) -> dict[str, Any]:
    """Every candidate's POST leaves at the same moment (a barrier), one thread each."""
    barrier = threading.Barrier(len(cookies))
    statuses: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def book(n: int, cookie: str) -> None:
        csrf = "b" * 32
        connection = http.client.HTTPConnection("127.0.0.1", ports[n % len(ports)], timeout=120)
        headers = {
            "Cookie": f"sessionid={cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        barrier.wait()
        started = time.perf_counter()
        try:
            connection.request(
                "POST", f"/sessions/{session_pk}/book/", "certification=ml-expert", headers
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
        with lock:
            statuses.append(status)
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=book, args=(n, c)) for n, c in enumerate(cookies)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = sorted(x * 1000 for x in latencies)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "answered_302": statuses.count(302),
        "failed": len(statuses) - statuses.count(302),
        "ms": {
            "p50": round(ms[len(ms) // 2], 1),
            "p99": round(ms[min(int(len(ms) * 0.99), len(ms) - 1)], 1),
            "max": round(ms[-1], 1),
            "mean": round(statistics.fmean(ms), 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument("--left", type=int, default=5, help="seats still free")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    args = parser.parse_args()

    load_before = os.getloadavg()
    clean_up = bench_database()
    try:
        from credence.accounts.models import User
        from credence.exams.models import Booking
        from credence.exams.sessions.selectors import seats_taken

        office = program_and_bank()
        env = os.environ | {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": str(ROOT / "src"),
        }
        rounds = []
        with Fleet() as fleet:
            servers = [fleet.serve(env, workers=args.workers) for _ in range(args.servers)]
            ports = [server.port for server in servers if server.port is not None]
            for number in range(args.rounds):
                session = _session(office, number, args.capacity, args.left)
                racers = [
                    User.objects.create_user(f"race-{number}-{n}@example.invalid", None)
                    for n in range(args.requests)
                ]
                result = _race(session.pk, [login(u) for u in racers], ports)
                won = Booking.objects.filter(session=session, attempt__candidate__in=racers)
                result.update(
                    capacity=args.capacity,
                    seats_left_before=args.left,
                    booked_after=seats_taken(session),
                    winners=won.count(),
                )
                result["over_capacity"] = result["booked_after"] > args.capacity
                rounds.append(result)
        correct = all(
            r["booked_after"] == args.capacity
            and r["winners"] == min(args.left, args.requests)
            and r["failed"] == 0
            for r in rounds
        )
        print(
            json.dumps(
                {
                    "benchmark": "booking_race",
                    "command": " ".join(["bench/booking_race.py", *sys.argv[1:]]),
                    "database": os.environ["DATABASE_URL"].split(":", 1)[0],
                    "servers": args.servers,
                    "gunicorn_workers_each": args.workers,
                    "requests_each_round": args.requests,
                    "rounds": rounds,
                    "never_over_capacity": not any(r["over_capacity"] for r in rounds),
                    "every_round_exactly_full": correct,
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()],
                    "machine": {
                        "cpus": os.cpu_count(),
                        "processor": platform.processor() or platform.machine(),
                        "python": platform.python_version(),
                    },
                },
                indent=2,
            )
        )
    finally:
        clean_up()
    if not correct:
        sys.exit(1)


if __name__ == "__main__":
    main()
