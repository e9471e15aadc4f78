"""Data-protection benchmark (not a test): how long one person's export and erasure take in a
database holding many other candidates with live sessions (erasure must find the person's
sessions among all of them).

    .venv/bin/python bench/privacy.py [--candidates 100] [--sessions 2000]

Runs on a fresh SQLite file in a temporary directory (or a throwaway PostgreSQL database
beside the one DATABASE_URL names, dropped at the end). Each candidate passes both
evaluations of ML Expert (two attempts, two paid invoices, one certificate); the measured
person also has a signed credential. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import time
from datetime import date
from decimal import Decimal

from benchdb import bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=2000)
    args = parser.parse_args()

    clean_up = bench_database(CREDENCE_ISSUER_DOMAIN="certs.example.test")
    try:
        result = _measure(args)
    finally:
        clean_up()  # the throwaway database goes also when the bench fails
    print(json.dumps(result))


def _measure(args: argparse.Namespace) -> dict[str, object]:
    import time_machine
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections

    from credence.accounts.models import User
    from credence.billing.checks import ledger_problems
    from credence.billing.models import Invoice
    from credence.billing.payments import payment_record
    from credence.credentials.models import Certificate
    from credence.credentials.services import credential_issue
    from credence.exams.services import attempt_book, attempt_record_result
    from credence.privacy.services import erasure_request, user_erase, user_export

    call_command("migrate", verbosity=0)
    call_command("program", "load", verbosity=0, stdout=io.StringIO())
    office = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Office")
    started = time.perf_counter()
    people = []
    for n in range(args.candidates):
        person = User.objects.create_user(
            f"c{n}@example.invalid", "x" * 12, full_name=f"Candidate {n}"
        )
        for evaluation, held_on in (
            ("knowledge-test", date(2026, 3, 2)),
            ("portfolio", date(2026, 3, 23)),
        ):
            attempt = attempt_book(
                candidate=person,
                certification="ml-expert",
                evaluation=evaluation,
                held_on=held_on,
                acting_user=person,
            )
            attempt_record_result(
                attempt=attempt, score=Decimal("80"), released_on=held_on, acting_user=office
            )
        for invoice in Invoice.objects.filter(candidate=person):
            payment_record(
                reference=invoice.number,
                amount=invoice.amount_due,
                received_on=invoice.issued_on,
                acting_user=office,
                idempotency_key=f"bench-{invoice.number}",
            )
        people.append(person)
    for n in range(args.sessions):
        store = SessionStore()
        store["_auth_user_id"] = str(people[n % len(people)].pk)
        store.create()
    setup_s = time.perf_counter() - started

    person = people[len(people) // 2]
    credential_issue(certificate=Certificate.objects.get(holder=person))
    t0 = time.perf_counter()
    archive = user_export(user=person, acting_user=person)
    export_ms = (time.perf_counter() - t0) * 1000
    erasure_request(user=person, password="x" * 12, acting_user=person)
    with time_machine.travel(time.time() + 15 * 86400):
        t0 = time.perf_counter()
        erasure = user_erase(user=person, acting_user=office)
        erase_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    problems = ledger_problems()
    check_ms = (time.perf_counter() - t0) * 1000

    result = {
        "benchmark": "privacy",
        "database": connections["default"].vendor,
        "python": platform.python_version(),
        "candidates": args.candidates,
        "live_sessions": args.sessions,
        "setup_s": round(setup_s, 1),
        "export_ms": round(export_ms, 1),
        "export_zip_bytes": len(archive),
        "erase_ms": round(erase_ms, 1),
        "erased_models": len(erasure.summary),
        "sessions_deleted": erasure.summary.get("sessions.session"),
        "billing_check_ms_after": round(check_ms, 1),
        "ledger_problems_after": len(problems),
    }
    return result


if __name__ == "__main__":
    main()
