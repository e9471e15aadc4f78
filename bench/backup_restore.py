"""Backup and restore benchmark (not a test): how long ``credence backup`` and ``credence
restore`` take and how big the file is, for the demo world plus many audit events.

    .venv/bin/python bench/backup_restore.py [--events 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/backup_restore.py

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
import time
from datetime import date
from pathlib import Path

from benchdb import bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="extra audit events")
    args = parser.parse_args()

    clean_up = bench_database()
    from django.core.management import call_command
    from django.db import connection

    from credence.accounts.models import User
    from credence.audit.backup import backup, restore
    from credence.audit.models import AuditEvent
    from credence.demo.data import demo_populate

    try:
        call_command("migrate", verbosity=0)
        call_command("program", "load", verbosity=0, stdout=io.StringIO())
        demo_populate(date(2026, 11, 2))
        candidate = User.objects.exclude(is_staff=True).first()
        office = User.objects.filter(is_staff=True).first()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action="attempt.result_recorded",
                subject_type="exams.attempt",
                subject_id=str(n),
                actor=office,
                subject_user=candidate,
                reason="R4",
                before={"status": "booked", "score": None},
                after={"status": "passed", "score": f"{70 + n % 30}.00"},
            )
            for n in range(args.events)
        )
        file = Path(os.environ["CREDENCE_VAR_DIR"]) / "bench.backup.gz"
        started = time.perf_counter()
        summary = backup(file)
        backup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        restore(file, replace=True)
        restore_seconds = time.perf_counter() - started
        result = {
            "benchmark": "backup_restore",
            "database": connection.vendor,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "rows": summary.rows,
            "tables": len(summary.header["row_counts"]),
            "file_bytes": file.stat().st_size,
            "backup_seconds": round(backup_seconds, 2),
            "restore_seconds": round(restore_seconds, 2),
            "backup_rows_per_second": round(summary.rows / backup_seconds),
            "restore_rows_per_second": round(summary.rows / restore_seconds),
        }
        print(json.dumps(result, indent=2))
    finally:
        clean_up()


if __name__ == "__main__":
    main()
