"""Live-exam load benchmark (issue 14; not a test). Simulated candidates answer their own 60-item
forms with the test page's autosave (the htmx POST) against ``credence serve`` on PostgreSQL,
in three phases, each optional:

- ``compare``: the autosave against the bench-only bare endpoint (exam_reference.py: the
  same single-row upsert behind the same middleware and login, without the exam's rules),
  same server, closed loop on ``--connections`` connections, ``--rounds`` rounds of
  ``--seconds`` each, the order alternating; answers/s, latencies, ratio per round.
- ``pace``: every candidate answers at a realistic pace (one answer every 10-30 s, open loop,
  latency counted from when the answer was due) for ``--pace-seconds``; p50/p95/p99.
- ``kill``: every candidate answers ``--items`` items as fast as the connections allow while
  gunicorn workers are SIGKILLed one at a time and whole servers are SIGKILLed and restarted;
  clients retry what was not acknowledged, as the page lets a candidate do. Afterwards every
  acknowledged answer is looked up in the database. With ``--task-workers`` the background
  task workers run ``--tasks`` bench tasks meanwhile (one of them is SIGKILLed and replaced)
  and each task's runs are counted.

``--servers 2`` starts two ``credence serve`` processes on two ports (the clients take turns)
on the one database: the several-web-processes deployment of docs/deployment.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/exam_load.py [--candidates 500] [--servers 1] [--kill] ...

It creates its own database beside the one named (``credence_bench_<pid>``, bench/benchdb.py)
and drops only that one at the end; its servers listen on free ports and are stopped, whole
process groups, whatever happens. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import io
import itertools
import json
import os
import platform
import queue
import random
import secrets
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchdb import bench_database
from benchserver import Fleet, Process, login

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
TOPICS = ("supervised-learning", "model-evaluation", "model-deployment")
# how often a client tries one answer again (0.1 s apart, plus the time each try takes) before
# it gives up; what it gave up on counts as not acknowledged, never as lost
RETRIES = 600


@dataclass(frozen=True)
class Candidate:
    sitting: int
    session_key: str
    csrf: str
    versions: tuple[int, ...]  # the item version at each position of the form


def program_and_bank() -> Any:
    """Migrate, load the program, fill ml-expert's bank (90 items over the blueprint's three
    topics) and return a program office user."""
    from django.core.management import call_command

    from credence.accounts.models import Role, User
    from credence.accounts.services import user_assign_role
    from credence.catalog.models import Certification
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
    return office


def _prepare(count: int) -> list[Candidate]:
    """A session with a seat for everyone, each candidate checked in, logged in and started."""
    from datetime import timedelta

    from django.utils import timezone

    from credence.accounts.models import User
    from credence.exams.delivery.services import session_open, sitting_check_in, sitting_start
    from credence.exams.sessions.services import session_book, session_create, session_publish

    office = program_and_bank()
    now = timezone.now()
    session = session_create(
        certifications=["ml-expert"],
        venue="Bench hall",
        starts_at=now + timedelta(minutes=1),
        duration_minutes=240,
        capacity=count,
        booking_deadline=now + timedelta(seconds=30),
        acting_user=office,
    )
    session_publish(session=session, acting_user=office, now=now)
    session_open(session=session, acting_user=office, now=now)
    prepared = []
    for n in range(count):
        user = User.objects.create_user(f"c{n}@example.invalid", None, full_name=f"C {n}")
        booking = session_book(
            session=session, candidate=user, certification="ml-expert", acting_user=user, now=now
        )
        sitting = sitting_check_in(booking=booking, acting_user=office, now=now)
        sitting_start(sitting=sitting, candidate=user, now=timezone.now())
        versions = tuple(entry["version"] for entry in sitting.form)
        prepared.append(Candidate(sitting.pk, login(user), secrets.token_hex(16), versions))
    return prepared


class Browser:
    """One connection's worth of a candidate's browser; with several servers it takes them in
    turn (the round-robin a load balancer would do)."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = itertools.cycle(random.sample(ports, len(ports)))
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def answer(self, candidate: Candidate, position: int, choice: int, *, bare: bool) -> bool:
        """Send one autosave; True when the server acknowledged it ("Saved at")."""
        port = next(self.ports)
        if bare:
            url = f"/bench/bare-answer/{candidate.sitting}/"
            body = f"position={position}&choice={choice}&version={candidate.versions[position]}"
        else:
            url = f"/sessions/test/{candidate.sitting}/answer/"
            body = f"position={position}&choice={choice}"
        headers = {
            "Cookie": f"sessionid={candidate.session_key}; csrftoken={candidate.csrf}",
            "X-CSRFToken": candidate.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection = self.connections.get(port)
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self.connections[port] = connection
            connection.request("POST", url, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.connections.pop(port).close()
            return False
        return response.status == 200 and "Saved at" in text


def _summary(seconds: list[float]) -> dict[str, float | None]:
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {"p50": None, "p95": None, "p99": None, "mean": None}

    def pct(p: float) -> float:
        return round(ms[min(int(len(ms) * p), len(ms) - 1)], 1)

    return {
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": round(statistics.fmean(ms), 1),
    }


def _saturate(
    candidates: list[Candidate], ports: list[int], connections: int, seconds: float, bare: bool
) -> dict[str, object]:
    """Closed loop: each connection sends its candidates' answers back to back."""
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run(lane: int) -> None:
        browser, mine, done, fails = Browser(ports), candidates[lane::connections], [], 0
        for turn in itertools.count():
            if time.perf_counter() >= stop:
                break
            candidate = mine[turn % len(mine)]
            position = (turn // len(mine)) % len(candidate.versions)
            started = time.perf_counter()
            if browser.answer(candidate, position, turn % 2, bare=bare):
                done.append(time.perf_counter() - started)
            else:
                fails += 1
        with lock:
            latencies.extend(done)
            failed[0] += fails

    threads = [
        threading.Thread(target=run, args=(lane,), daemon=True) for lane in range(connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "acknowledged": len(latencies),
        "failed": failed[0],
        "per_second": round(len(latencies) / elapsed, 1),
        "ms": _summary(latencies),
    }


def _compare(
    candidates: list[Candidate], ports: list[int], connections: int, seconds: float, rounds: int
) -> dict[str, object]:
    """The autosave and the bare endpoint, interleaved (ABBA...), after a warm-up of each."""
    for bare in (False, True):
        _saturate(candidates, ports, connections, 2, bare)
    runs: list[dict[str, Any]] = []
    for number in range(rounds):
        order = (False, True) if number % 2 == 0 else (True, False)
        result: dict[str, Any] = {
            ("bare" if bare else "autosave"): _saturate(
                candidates, ports, connections, seconds, bare
            )
            for bare in order
        }
        result["ratio"] = round(result["autosave"]["per_second"] / result["bare"]["per_second"], 3)
        runs.append(result)
    ratios = [r["ratio"] for r in runs]

    def median_of(kind: str, key: str) -> float:
        return round(statistics.median(r[kind][key] for r in runs), 1)

    return {
        "connections": connections,
        "seconds_each": seconds,
        "rounds": runs,
        "autosave_per_second_median": median_of("autosave", "per_second"),
        "bare_per_second_median": median_of("bare", "per_second"),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }


def _paced(
    candidates: list[Candidate], ports: list[int], seconds: float, gap: tuple[float, float]
) -> dict[str, object]:
    """Open loop: each candidate's next answer is due 10-30 s after the previous one was due,
    whatever the server does; latency counts from when it was due (so a queue shows)."""
    rng = random.Random(14)
    begin = time.perf_counter() + 1
    end = begin + seconds
    due: list[tuple[float, int, int]] = sorted(
        (begin + rng.uniform(0, gap[1]), n, 0) for n in range(len(candidates))
    )
    jobs: queue.Queue[tuple[float, int, int] | None] = queue.Queue()
    latencies: list[float] = []
    counters = {"answers": 0, "retries": 0, "late_starts": 0}
    lock = threading.Lock()
    senders = 64

    def schedule() -> None:
        import heapq

        heapq.heapify(due)
        while due and due[0][0] < end:
            at, n, position = heapq.heappop(due)
            wait = at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            jobs.put((at, n, position))
            next_position = (position + 1) % len(candidates[n].versions)
            heapq.heappush(due, (at + rng.uniform(*gap), n, next_position))
        for _ in range(senders):
            jobs.put(None)

    def send() -> None:
        browser = Browser(ports)
        while (job := jobs.get()) is not None:
            at, n, position = job
            with lock:
                counters["answers"] += 1
                counters["late_starts"] += time.perf_counter() - at > 0.05
            for _attempt in range(RETRIES):
                if browser.answer(candidates[n], position, position % 2, bare=False):
                    with lock:
                        latencies.append(time.perf_counter() - at)
                    break
                with lock:
                    counters["retries"] += 1
                time.sleep(0.1)

    # daemons: should the bench fail midway, its clients do not keep it alive
    threads = [threading.Thread(target=schedule, daemon=True)]
    threads += [threading.Thread(target=send, daemon=True) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "candidates": len(candidates),
        "seconds": seconds,
        "gap_seconds": list(gap),
        "offered_per_second": round(counters["answers"] / seconds, 1),
        "answers": counters["answers"],
        "retries": counters["retries"],
        "sent_late_by_the_client": counters["late_starts"],
        "ms_from_due": _summary(latencies),
    }


def _kill_run(
    candidates: list[Candidate],
    servers: list[Process],
    task_workers: list[Process],
    fleet: Fleet,
    env: dict[str, str],
    connections: int,
    items: int,
    tasks: int,
) -> tuple[dict[str, Any], list[tuple[int, int, int]]]:
    """Every candidate answers ``items`` items; meanwhile single gunicorn workers and whole
    servers (and one task worker) are killed. Returns the figures and what was acknowledged."""
    work: queue.Queue[Candidate | None] = queue.Queue()
    for candidate in candidates:
        work.put(candidate)
    for _ in range(connections):
        work.put(None)
    acked: list[tuple[int, int, int]] = []
    latencies: list[float] = []
    counters = {"retries": 0}
    lock = threading.Lock()
    ports = [server.port for server in servers if server.port is not None]

    def client() -> None:
        browser = Browser(ports)
        while (candidate := work.get()) is not None:
            for position in range(items):
                choice = (candidate.sitting + position) % 3
                for _attempt in range(RETRIES):
                    started = time.perf_counter()
                    if browser.answer(candidate, position, choice, bare=False):
                        with lock:
                            acked.append((candidate.sitting, position, choice))
                            latencies.append(time.perf_counter() - started)
                        break
                    with lock:
                        counters["retries"] += 1
                    time.sleep(0.1)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    total = len(candidates) * items
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    kills = {"gunicorn_worker": 0, "whole_server": 0, "task_worker": 0}

    def reach(share: float) -> bool:
        while len(acked) < total * share and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        return any(t.is_alive() for t in threads)

    if task_workers:
        threading.Thread(
            target=_kill_a_task_worker,
            args=(task_workers, fleet, env, tasks, kills),
            daemon=True,
        ).start()
    _kill_servers(servers, reach, kills)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "candidates": len(candidates),
        "items_each": items,
        "answers": total,
        "acknowledged": len(acked),
        "seconds": round(elapsed, 1),
        "per_second": round(len(acked) / elapsed, 1),
        "ms": _summary(latencies),
        "kills": kills,
        "retries": counters["retries"],
    }, acked


def _kill_a_task_worker(
    task_workers: list[Process],
    fleet: Fleet,
    env: dict[str, str],
    tasks: int,
    kills: dict[str, int],
) -> None:
    """Once half the tasks have started: SIGKILL a task worker (likely in a task), start a
    fresh one."""
    from exam_reference import TASK_RUNS

    runs = Path(env["CREDENCE_VAR_DIR"]) / TASK_RUNS
    while not runs.exists() or len(runs.read_text().split()) < tasks / 2:
        time.sleep(0.1)
    task_workers[0].kill()
    kills["task_worker"] += 1
    task_workers[0] = fleet.worker(env)


def _kill_servers(
    servers: list[Process], reach: Callable[[float], bool], kills: dict[str, int]
) -> None:
    """Single gunicorn workers at 1/6, 1/2 and 5/6 of the answers; a whole server at 1/3 and
    (the next one) at 2/3. ``reach(share)`` waits for that share of the answers and is false
    once the clients are done."""
    for step, share in enumerate((1 / 6, 1 / 3, 1 / 2, 2 / 3, 5 / 6)):
        if not reach(share):
            break
        server = servers[step // 2 % len(servers)]
        if step % 2 == 0:
            if workers := server.children():
                os.kill(random.choice(workers), signal.SIGKILL)
                kills["gunicorn_worker"] += 1
        else:
            server.kill()
            kills["whole_server"] += 1
            server.start()


def _lost(acked: list[tuple[int, int, int]]) -> int:
    from credence.exams.models import Response

    stored = {
        (r.sitting_id, r.position): (r.answer or {}).get("choice")
        for r in Response.objects.only("sitting_id", "position", "answer")
    }
    return sum(
        1 for sitting, position, choice in acked if stored.get((sitting, position)) != choice
    )


def _task_runs(
    var_dir: Path, enqueued: int, killed_in_a_task: int, wait: float = 120
) -> dict[str, object]:
    """Wait for the queue to drain and the running tasks to end (but those a killed worker
    left running), then count each bench task's runs."""
    from django_tasks_db.models import DBTaskResult
    from exam_reference import TASK_RUNS

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and (
        DBTaskResult.objects.filter(status="READY").exists()
        or DBTaskResult.objects.filter(status="RUNNING").count() > killed_in_a_task
    ):
        time.sleep(0.5)
    file = var_dir / TASK_RUNS
    counted = Counter(file.read_text().split() if file.exists() else [])
    statuses = {
        status: DBTaskResult.objects.filter(status=status).count()
        for status in DBTaskResult.objects.values_list("status", flat=True).distinct()
    }
    claimed_twice = sum(
        len(ids) > 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )
    return {
        "enqueued": enqueued,
        "run_once": sum(1 for c in counted.values() if c == 1),
        "run_twice_or_more": sum(1 for c in counted.values() if c > 1),
        "never_run": enqueued - len(counted),
        "claimed_by_two_workers": claimed_twice,
        "statuses": statuses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--servers", type=int, default=1, help="credence serve processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE (seconds)")
    parser.add_argument("--phases", default="compare,pace,kill")
    parser.add_argument("--connections", type=int, default=8, help="compare: connections")
    parser.add_argument("--seconds", type=float, default=10, help="compare: seconds a phase")
    parser.add_argument("--rounds", type=int, default=5, help="compare: rounds")
    parser.add_argument("--pace-seconds", type=float, default=120)
    parser.add_argument("--kill-connections", type=int, default=48)
    parser.add_argument("--items", type=int, default=60, help="kill: items each candidate answers")
    parser.add_argument(
        "--task-workers", type=int, default=0, help="kill: credence worker processes"
    )
    parser.add_argument("--tasks", type=int, default=300, help="kill: bench tasks to run")
    parser.add_argument("--task-seconds", type=float, default=0.5, help="kill: each task's work")
    args = parser.parse_args()
    phases = set(args.phases.split(","))

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL server (the bench makes its own database)."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "exam_reference_settings"
    load_before = os.getloadavg()
    clean_up = bench_database(CONN_MAX_AGE=str(args.conn_max_age))
    try:
        setup_started = time.perf_counter()
        candidates = _prepare(args.candidates)
        setup = time.perf_counter() - setup_started
        env = os.environ | {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
        }
        result: dict[str, object] = {}
        with Fleet() as fleet:
            servers = [fleet.serve(env, workers=args.workers) for _ in range(args.servers)]
            ports = [server.port for server in servers if server.port is not None]
            if "compare" in phases:
                result["compare"] = _compare(
                    candidates, ports, args.connections, args.seconds, args.rounds
                )
            if "pace" in phases:
                result["pace"] = _paced(candidates, ports, args.pace_seconds, (10, 30))
            if "kill" in phases:
                from exam_reference import bench_task

                from credence.exams.models import Response

                Response.objects.all().delete()  # only what this phase acknowledges counts
                task_workers = [fleet.worker(env) for _ in range(args.task_workers)]
                enqueued = args.tasks if task_workers else 0
                for number in range(enqueued):
                    bench_task.enqueue(number=number, seconds=args.task_seconds)
                kill, acked = _kill_run(
                    candidates,
                    servers,
                    task_workers,
                    fleet,
                    env,
                    args.kill_connections,
                    args.items,
                    enqueued,
                )
                kill["lost_acknowledged"] = _lost(acked)
                if task_workers:
                    kill["tasks"] = _task_runs(
                        Path(env["CREDENCE_VAR_DIR"]), enqueued, kill["kills"]["task_worker"]
                    )
                result["kill"] = kill
        print(
            json.dumps(
                {
                    "benchmark": "exam_load",
                    "command": " ".join(["bench/exam_load.py", *sys.argv[1:]]),
                    "candidates": args.candidates,
                    "servers": args.servers,
                    "gunicorn_workers_each": args.workers,
                    "conn_max_age": args.conn_max_age,
                    "setup_seconds": round(setup, 1),
                    **result,
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


if __name__ == "__main__":
    main()
