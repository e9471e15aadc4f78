"""Billing benchmark (not a test): how fast the ledger books money through the product's
endpoints, how the fund lock holds up under concurrent refund approvals and top-ups, and how
long ``credence billing check`` takes.

    .venv/bin/python bench/billing_ledger.py [--candidates 200] [--threads 8] [--rounds 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/billing_ledger.py

Each candidate books a seat in a published session (``POST /sessions/<pk>/book/``: R11, R1-R3,
R12, the attempt, its invoice, the subsidy, the journal, the audit events, the confirmation
mail after commit), and the program office records each invoice's payment
(``POST /billing/office/payments/new/``). Each request is followed by one to the reference,
issue 14's bare write endpoint (``bench/exam_reference.py``: one answer upserted behind the
same middleware, session and login); every request goes through Django's whole request
handling in this process (``django.test.Client``, the connection kept as ``CONN_MAX_AGE``
keeps it), so the server's own cost, the same for both, does not flatter the ratio. The
ratio of their median latencies is reported per round (the requests split into ``--rounds``)
and over the whole run (issue 14: within 4x). The queries of one request of each kind are
counted after the timed part. Mail goes to Django's in-memory backend.

Without DATABASE_URL it runs on a fresh SQLite file in a temporary directory. With a
PostgreSQL URL it creates a throwaway database beside the one named (and drops it at the end),
so it never touches real data. It prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchdb import bench_database


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _latencies(seconds: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(1000 * statistics.median(seconds), 2),
        "p95_ms": round(1000 * _percentile(seconds, 0.95), 2),
        "per_s": round(len(seconds) / sum(seconds), 1),
    }


def _ratio(product: list[float], reference: list[float], rounds: int) -> dict[str, Any]:
    """Median product latency over median reference latency, per round and overall."""
    size = max(1, len(product) // rounds)
    per_round = [
        round(
            statistics.median(product[i : i + size]) / statistics.median(reference[i : i + size]),
            2,
        )
        for i in range(0, size * rounds, size)
        if product[i : i + size]
    ]
    return {
        "median_of_medians": round(statistics.median(product) / statistics.median(reference), 2),
        "per_round": per_round,
        "round_min": min(per_round),
        "round_max": max(per_round),
        "target": 4.0,
    }


def _concurrently(
    jobs: list[tuple[str, object]],
    run: Callable[[str, object], None],
    *,
    threads: int,
    close: Callable[[], None],
) -> tuple[list[float], list[str], float]:
    """``run(kind, payload)`` for every job on ``threads`` threads: each job's latency, the
    errors, and the seconds the whole took. ``close`` ends each thread (its own database
    connection)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    cursor = iter(jobs)

    def worker() -> None:
        try:
            while True:
                with lock:
                    job = next(cursor, None)
                if job is None:
                    return
                began = time.perf_counter()
                run(*job)
                with lock:
                    latencies.append(time.perf_counter() - began)
        except Exception as error:  # reported in the JSON
            errors.append(repr(error))
        finally:
            close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="rounds the ratios are split into")
    args = parser.parse_args()

    clean_up = bench_database(DJANGO_SETTINGS_MODULE="exam_reference_settings")
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from exam_load import program_and_bank

    from credence.accounts.models import User
    from credence.billing.checks import ledger_problems
    from credence.billing.fund import fund_top_up, refund_approve
    from credence.billing.models import Fund, Invoice, Line, Refund, RefundStatus
    from credence.core.middleware import SEEN_KEY, STARTED_KEY
    from credence.exams.delivery.services import session_open, sitting_check_in, sitting_start
    from credence.exams.models import Attempt, Booking
    from credence.exams.services import attempt_book
    from credence.exams.sessions.services import session_book, session_create, session_publish
    from credence.exams.statuses import AttemptStatus

    try:
        office = program_and_bank()  # ml-expert's item bank, so that sessions can be held
        fund_top_up(
            amount=Decimal("1000.00"),
            received_on=date(2026, 1, 1),
            acting_user=office,
            idempotency_key="bench-initial",
        )
        now = timezone.now()

        def session(capacity: int, deadline: timedelta) -> Any:
            held = session_create(
                certifications=["ml-expert"],
                venue="Bench hall",
                starts_at=now + deadline + timedelta(minutes=1),
                duration_minutes=240,
                capacity=capacity,
                booking_deadline=now + deadline,
                acting_user=office,
            )
            return session_publish(session=held, acting_user=office, now=now)

        # The reference's candidate sits a test in an open session: the bare endpoint upserts
        # an answer of that sitting, as the test page's autosave does.
        sitter = User.objects.create_user("sitter@bench.invalid", None, full_name="Sitter")
        open_session = session_open(
            session=session(1, timedelta(seconds=30)), acting_user=office, now=now
        )
        booking = session_book(
            session=open_session, candidate=sitter, certification="ml-expert", acting_user=sitter
        )
        sitting = sitting_check_in(booking=booking, acting_user=office, now=now)
        sitting_start(sitting=sitting, candidate=sitter, now=now)

        handler = Client().handler

        def logged_in(user: User) -> Any:
            client = Client(HTTP_HOST="localhost")  # a host the product's settings allow
            # one request handler for all, as in a server process: each client's own would
            # build the middleware (WhiteNoise scans the static files) on its first request
            client.handler = handler
            client.force_login(user)
            # as if the person had just opened a page: the first request after signing in
            # notes the time in the session (a write), which is not what is measured
            session = client.session
            session[SEEN_KEY] = session[STARTED_KEY] = int(time.time())
            session.save()
            return client

        sitter_client = logged_in(sitter)
        answer = {"position": "0", "version": str(sitting.form[0]["version"])}
        bare_url = f"/bench/bare-answer/{sitting.pk}/"

        def timed(client: Any, url: str, data: dict[str, str], expected: int) -> float:
            began = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - began
            if response.status_code != expected:
                raise SystemExit(f"POST {url}: {response.status_code}, expected {expected}")
            return elapsed

        answered = 0

        def reference() -> float:
            nonlocal answered
            answered += 1
            return timed(sitter_client, bare_url, {**answer, "choice": str(answered % 3)}, 200)

        # No passwords: hashing one is not what is measured.
        candidates = [
            User.objects.create_user(f"c{n}@bench.invalid", None, full_name=f"C{n}")
            for n in range(args.candidates + 1)  # one more for the query count
        ]
        clients = [logged_in(user) for user in candidates]
        seats = session(len(candidates), timedelta(days=7))
        book_url = f"/sessions/{seats.pk}/book/"

        load_before = os.getloadavg()
        # 1. Bookings with their invoices, each followed by a request to the bare endpoint.
        booking_times: list[float] = []
        booking_references: list[float] = []
        for client in clients[:-1]:
            booking_times.append(timed(client, book_url, {"certification": "ml-expert"}, 302))
            booking_references.append(reference())
        booked = Booking.objects.filter(session=seats, attempt__status=AttemptStatus.BOOKED)
        if booked.count() != args.candidates:
            raise SystemExit(f"{booked.count()} of {args.candidates} bookings were made")

        # 2. Payments matched by reference, each followed by a request to the bare endpoint.
        staff = logged_in(office)
        payment_url = "/billing/office/payments/new/"
        today = date.today()

        def payment(invoice: Invoice) -> dict[str, str]:
            return {
                "reference": invoice.number,
                "amount": str(invoice.amount_due),
                "received_on": today.isoformat(),
                "bank_reference": "",
                "idempotency_key": f"bench-pay-{invoice.number}",
            }

        payment_times: list[float] = []
        payment_references: list[float] = []
        for invoice in Invoice.objects.order_by("id"):
            if invoice.amount_due <= 0:  # the fund covered it in full: nothing to pay
                continue
            payment_times.append(timed(staff, payment_url, payment(invoice), 302))
            payment_references.append(reference())

        # 3. Concurrent refund approvals and top-ups, each thread with its own connection:
        # every booked candidate passes, books the portfolio and passes it with distinction.
        Attempt.objects.filter(pk__in=booked.values("attempt")).update(
            status=AttemptStatus.PASSED, score=Decimal("95"), released_on=date(2026, 12, 2)
        )
        portfolios = [
            attempt_book(
                candidate=user,
                certification="ml-expert",
                evaluation="portfolio",
                held_on=date(2026, 12, 20),
                acting_user=user,
            )
            for user in candidates[:-1]
        ]
        Attempt.objects.filter(pk__in=[a.pk for a in portfolios]).update(
            status=AttemptStatus.PASSED, score=Decimal("97"), released_on=date(2026, 12, 21)
        )
        jobs: list[tuple[str, Any]] = [("approve", a) for a in portfolios]
        jobs += [("top_up", k) for k in range(max(1, len(portfolios) // 4))]

        def run(kind: str, payload: Any) -> None:
            if kind == "approve":
                attempt = Attempt.objects.select_related("candidate", "certification").get(
                    pk=payload.pk
                )
                refund_approve(attempt=attempt, acting_user=office)
            else:
                fund_top_up(
                    amount=Decimal("1000.00"),
                    received_on=today,
                    acting_user=office,
                    idempotency_key=f"bench-top-up-{payload}",
                )

        latencies, errors, concurrent_seconds = _concurrently(
            jobs, run, threads=args.threads, close=connections.close_all
        )

        # 4. The full invariant check over everything booked.
        started = time.perf_counter()
        problems = ledger_problems()
        check_seconds = time.perf_counter() - started

        # 5. Queries of one request of each kind (not timed; BEGIN and COMMIT included).
        with CaptureQueriesContext(connection) as booking_queries:
            timed(clients[-1], book_url, {"certification": "ml-expert"}, 302)
        invoice = Invoice.objects.get(candidate=candidates[-1])
        with CaptureQueriesContext(connection) as payment_queries:
            timed(staff, payment_url, payment(invoice), 302)
        with CaptureQueriesContext(connection) as reference_queries:
            reference()

        result = {
            "benchmark": "billing_ledger",
            "database": connection.vendor,
            "machine": {
                "cpus": os.cpu_count(),
                "processor": platform.processor() or platform.machine(),
                "python": platform.python_version(),
            },
            "candidates": args.candidates,
            "booking_with_invoice": _latencies(booking_times),
            "payment": _latencies(payment_times),
            "bare_endpoint": _latencies(booking_references + payment_references),
            "booking_to_bare_endpoint": _ratio(booking_times, booking_references, args.rounds),
            "payment_to_bare_endpoint": _ratio(payment_times, payment_references, args.rounds),
            "queries_per_request": {
                "booking_with_invoice": len(booking_queries),
                "payment": len(payment_queries),
                "bare_endpoint": len(reference_queries),
            },
            "concurrent": {
                "threads": args.threads,
                "operations": len(jobs),
                "ops_per_s": round(len(jobs) / concurrent_seconds, 1),
                "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
                "p95_ms": round(1000 * _percentile(latencies, 0.95), 1),
                "errors": errors,
            },
            "refunds": {
                "paid": Refund.objects.exclude(status=RefundStatus.QUEUED).count(),
                "queued": Refund.objects.filter(status=RefundStatus.QUEUED).count(),
            },
            "fund_balance": str(Fund.objects.get().balance),
            "journal_lines": Line.objects.count(),
            "check_seconds": round(check_seconds, 3),
            "check_problems": problems,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        }
        print(json.dumps(result, indent=2))
    finally:
        clean_up()


if __name__ == "__main__":
    main()
