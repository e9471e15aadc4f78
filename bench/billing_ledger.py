"""Billing benchmark (not a test): how fast the ledger books money, how the fund lock holds up
under concurrent refund approvals and top-ups, and how long ``credence billing check`` takes.

    .venv/bin/python bench/billing_ledger.py [--candidates 200] [--threads 8] [--rounds 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/billing_ledger.py

Each booking with its invoice (``exams.services.attempt_book``) and each payment
(``billing.services.payment_record``) is followed by the reference: a bare write, one audit
event inserted through the ORM in its own transaction (the smallest write a service makes,
through the same stack). The two alternate one by one, so both see the same machine; the
ratio of their median latencies is reported per round (the candidates split into
``--rounds``) and over the whole run (issue 14: within 4x). The queries one booking, one
payment and one reference write send are counted after the timed part.

Without DATABASE_URL it runs on a fresh SQLite file in a temporary directory. With a
PostgreSQL URL it creates a throwaway database beside the one named (and drops it at the end),
so it never touches real data. It prints one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import threading
import time
from datetime import date
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="rounds the ratios are split into")
    args = parser.parse_args()

    clean_up = bench_database()
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.test.utils import CaptureQueriesContext

    from credence.accounts.models import User
    from credence.audit.models import AuditEvent
    from credence.billing.checks import ledger_problems
    from credence.billing.models import Fund, Invoice, Line, Refund, RefundStatus
    from credence.billing.services import fund_top_up, payment_record, refund_approve
    from credence.exams.models import Attempt
    from credence.exams.services import attempt_book
    from credence.exams.statuses import AttemptStatus

    try:
        call_command("migrate", verbosity=0)
        call_command("program", "load", verbosity=0, stdout=io.StringIO())
        office = User.objects.create_user("office@bench.invalid", None, full_name="Office")
        fund_top_up(
            amount=Decimal("1000.00"),
            received_on=date(2026, 1, 1),
            acting_user=office,
            idempotency_key="bench-initial",
        )
        candidates = []
        for n in range(args.candidates):
            # No password: hashing one is not what is measured.
            user = User.objects.create_user(f"c{n}@bench.invalid", None, full_name=f"C{n}")
            candidates.append(user)

        written = 0

        def reference_write(user: User) -> float:
            """The bare write: one row through the ORM in its own transaction."""
            nonlocal written
            written += 1
            began = time.perf_counter()
            with transaction.atomic():
                AuditEvent.objects.create(
                    action="bench.reference",
                    subject_type="bench.reference",
                    subject_id=str(written),
                    actor=user,
                    subject_user=user,
                    after={"n": written},
                )
            return time.perf_counter() - began

        def book(user: User, evaluation: str, held_on: date) -> tuple[Attempt, float]:
            began = time.perf_counter()
            attempt = attempt_book(
                candidate=user,
                certification="nlp",
                evaluation=evaluation,
                held_on=held_on,
                acting_user=user,
            )
            return attempt, time.perf_counter() - began

        load_before = os.getloadavg()
        # 1. Bookings with their invoices (R1-R3 rules, invoice, subsidy, ledger, audit), each
        # followed by a reference write.
        booking_times: list[float] = []
        booking_references: list[float] = []
        portfolios: list[Attempt] = []
        for user in candidates:
            test, seconds = book(user, "knowledge-test", date(2026, 12, 1))
            booking_times.append(seconds)
            booking_references.append(reference_write(user))
            # The pass is written directly: result release is not what is measured here.
            Attempt.objects.filter(pk=test.pk).update(
                status=AttemptStatus.PASSED, score=Decimal("95"), released_on=date(2026, 12, 2)
            )
            portfolio, seconds = book(user, "portfolio", date(2026, 12, 20))
            booking_times.append(seconds)
            booking_references.append(reference_write(user))
            portfolios.append(portfolio)

        # 2. Payments matched by reference, each followed by a reference write.
        payment_times: list[float] = []
        payment_references: list[float] = []
        today = date.today()
        for invoice in Invoice.objects.order_by("id").select_related("candidate"):
            began = time.perf_counter()
            payment_record(
                reference=invoice.number,
                amount=invoice.amount_due,
                received_on=today,
                acting_user=office,
                idempotency_key=f"bench-pay-{invoice.number}",
            )
            payment_times.append(time.perf_counter() - began)
            payment_references.append(reference_write(invoice.candidate))
        Attempt.objects.filter(pk__in=[a.pk for a in portfolios]).update(
            status=AttemptStatus.PASSED, score=Decimal("97"), released_on=date(2026, 12, 21)
        )

        # 3. Concurrent refund approvals and top-ups, each thread with its own connection.
        jobs: list[tuple[str, object]] = [("approve", a) for a in portfolios]
        jobs += [("top_up", k) for k in range(max(1, len(portfolios) // 4))]
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
                    kind, payload = job
                    began = time.perf_counter()
                    if kind == "approve":
                        attempt = Attempt.objects.select_related("candidate", "certification").get(
                            pk=payload.pk
                        )  # type: ignore[union-attr]
                        refund_approve(attempt=attempt, acting_user=office)
                    else:
                        fund_top_up(
                            amount=Decimal("1000.00"),
                            received_on=today,
                            acting_user=office,
                            idempotency_key=f"bench-top-up-{payload}",
                        )
                    with lock:
                        latencies.append(time.perf_counter() - began)
            except Exception as error:  # reported in the JSON
                errors.append(repr(error))
            finally:
                connections.close_all()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        concurrent_seconds = time.perf_counter() - started

        # 4. The full invariant check over everything booked.
        started = time.perf_counter()
        problems = ledger_problems()
        check_seconds = time.perf_counter() - started

        # 5. Queries of one booking, one payment and one reference write (not timed).
        extra = User.objects.create_user("queries@bench.invalid", None, full_name="Q")
        with CaptureQueriesContext(connection) as booking_queries:
            attempt_book(
                candidate=extra,
                certification="nlp",
                evaluation="knowledge-test",
                held_on=date(2026, 12, 1),
                acting_user=extra,
            )
        invoice = Invoice.objects.get(candidate=extra)
        with CaptureQueriesContext(connection) as payment_queries:
            payment_record(
                reference=invoice.number,
                amount=invoice.amount_due,
                received_on=today,
                acting_user=office,
                idempotency_key="bench-pay-queries",
            )
        with CaptureQueriesContext(connection) as reference_queries:
            reference_write(extra)

        result = {
            "benchmark": "billing_ledger",
            "database": connection.vendor,
            "machine": {
                "cpus": os.cpu_count(),
                "processor": platform.processor() or platform.machine(),
                "python": platform.python_version(),
            },
            "candidates": len(candidates),
            "bookings_with_invoice_per_s": round(len(booking_times) / sum(booking_times), 1),
            "payments_per_s": round(len(payment_times) / sum(payment_times), 1),
            "booking_with_invoice": _latencies(booking_times),
            "payment": _latencies(payment_times),
            "reference_write": _latencies(booking_references + payment_references),
            "booking_to_reference": _ratio(booking_times, booking_references, args.rounds),
            "payment_to_reference": _ratio(payment_times, payment_references, args.rounds),
            "queries": {
                # BEGIN and COMMIT included
                "booking_with_invoice": len(booking_queries),
                "payment": len(payment_queries),
                "reference_write": len(reference_queries),
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
