"""Billing benchmark (not a test): how fast the ledger books money, how the fund lock holds up
under concurrent refund approvals and top-ups, and how long ``credence billing check`` takes.

    .venv/bin/python bench/billing_ledger.py [--candidates 200] [--threads 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/billing_ledger.py

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

from benchdb import bench_database


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    clean_up = bench_database()
    from django.core.management import call_command
    from django.db import connection, connections

    from credence.accounts.models import User
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

        # 1. Bookings with their invoices (R1-R3 rules, invoice, subsidy, ledger, audit).
        started = time.perf_counter()
        portfolios: list[Attempt] = []
        for user in candidates:
            test = attempt_book(
                candidate=user,
                certification="nlp",
                evaluation="knowledge-test",
                held_on=date(2026, 12, 1),
                acting_user=user,
            )
            # The pass is written directly: result release is not what is measured here.
            Attempt.objects.filter(pk=test.pk).update(
                status=AttemptStatus.PASSED, score=Decimal("95"), released_on=date(2026, 12, 2)
            )
            portfolios.append(
                attempt_book(
                    candidate=user,
                    certification="nlp",
                    evaluation="portfolio",
                    held_on=date(2026, 12, 20),
                    acting_user=user,
                )
            )
        booking_seconds = time.perf_counter() - started
        bookings = 2 * len(candidates)

        # 2. Payments matched by reference.
        started = time.perf_counter()
        today = date.today()
        for invoice in Invoice.objects.order_by("id"):
            payment_record(
                reference=invoice.number,
                amount=invoice.amount_due,
                received_on=today,
                acting_user=office,
                idempotency_key=f"bench-pay-{invoice.number}",
            )
        payment_seconds = time.perf_counter() - started
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

        result = {
            "benchmark": "billing_ledger",
            "database": connection.vendor,
            "machine": {
                "cpus": os.cpu_count(),
                "processor": platform.processor() or platform.machine(),
                "python": platform.python_version(),
            },
            "candidates": len(candidates),
            "bookings_with_invoice_per_s": round(bookings / booking_seconds, 1),
            "payments_per_s": round(bookings / payment_seconds, 1),
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
        }
        print(json.dumps(result, indent=2))
    finally:
        clean_up()


if __name__ == "__main__":
    main()
