"""Benchmark of an employer's bulk check (issue 18, item 4). Not a test: prints JSON.

``POST /api/v1/verifications`` with --items signed credentials at once (each issued to its
own certified candidate), against the reference: the same credentials sent one by one to
``POST /api/v1/credentials/verify``, the single check the API had before. A second mode sends
the certificates' serial numbers at once, against each certificate's
``/certificates/<serial>/verification.json`` one by one. The proof memo is cleared before
every timed request on both sides (``selectors._REPORTS``, ``dataintegrity._VERIFIED``), so
every credential is canonicalized and verified afresh.
Both sides go through Django's whole request handling in this process (``django.test.Client``),
alternating which goes first, for --rounds rounds; the ratio is the reference's time over the
bulk request's (above 1: the bulk check is faster than asking one by one).

Everything runs on this machine: a throwaway SQLite database and keys in a temporary folder
(setting up 1,000 certified candidates takes a few minutes).

    .venv/bin/python bench/verifications.py [--items 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from verify import _environment, _free_port, _machine, _set_up


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(values), 3),
        "min_s": round(min(values), 3),
        "max_s": round(max(values), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="credence-bench-"))
    os.environ.update(_environment(folder, _free_port()))
    os.environ["CREDENCE_VERIFICATIONS_RATE"] = "100000/m"  # the bench is one client
    os.environ.pop("DATABASE_URL", None)
    try:
        started = time.perf_counter()
        serials = _set_up(args.items)
        set_up_seconds = time.perf_counter() - started
        from django.test import Client

        from credence.credentials import dataintegrity, selectors
        from credence.credentials.models import Certificate

        credentials = [
            c.credential for c in Certificate.objects.filter(serial__in=serials).order_by("id")
        ]
        client = Client(HTTP_HOST="127.0.0.1")

        def forget() -> None:
            # every credential (and status list) canonicalized and checked afresh
            selectors._REPORTS.clear()
            dataintegrity._VERIFIED.clear()

        def bulk(items: list[Any]) -> float:
            forget()
            body = json.dumps({"items": items})
            began = time.perf_counter()
            response = client.post("/api/v1/verifications", body, content_type="application/json")
            elapsed = time.perf_counter() - began
            if response.status_code != 200:
                raise SystemExit(f"bulk check: {response.status_code} {response.content[:300]!r}")
            counts = response.json()["counts"]
            if counts["valid"] != len(items):
                raise SystemExit(f"bulk check: {counts}")
            return elapsed

        def one_by_one(paths_and_bodies: list[tuple[str, str | None]]) -> float:
            forget()
            began = time.perf_counter()
            for path, body in paths_and_bodies:
                if body is None:
                    response = client.get(path)
                else:
                    response = client.post(path, body, content_type="application/json")
                if response.status_code != 200 or response.json()["standing"] != "valid":
                    raise SystemExit(f"{path}: {response.status_code}")
            return time.perf_counter() - began

        singles: list[tuple[str, str | None]] = [
            ("/api/v1/credentials/verify", json.dumps(c)) for c in credentials
        ]
        pages: list[tuple[str, str | None]] = [
            (f"/certificates/{s}/verification.json", None) for s in serials
        ]
        modes = {
            "credentials": (lambda: bulk(credentials), lambda: one_by_one(singles)),
            "serials": (lambda: bulk(serials), lambda: one_by_one(pages)),
        }
        for product, reference in modes.values():  # one untimed pass of each, warm
            product()
            reference()
        load_before = os.getloadavg()
        times: dict[str, dict[str, list[float]]] = {
            mode: {"bulk": [], "reference": []} for mode in modes
        }
        for round_number in range(args.rounds):
            for mode, (product, reference) in modes.items():
                first, second = (
                    ((product, "bulk"), (reference, "reference"))
                    if round_number % 2 == 0
                    else ((reference, "reference"), (product, "bulk"))
                )
                for run, side in (first, second):
                    times[mode][side].append(run())
        result: dict[str, Any] = {
            "machine": _machine(),
            "items": args.items,
            "body_bytes": len(json.dumps({"items": credentials})),
            "set_up_seconds": round(set_up_seconds, 1),
        }
        for mode, sides in times.items():
            result[mode] = {
                "bulk": _spread(sides["bulk"]),
                "one_by_one": _spread(sides["reference"]),
                "bulk_ms_per_item": round(1000 * statistics.median(sides["bulk"]) / args.items, 2),
                "ratio_one_by_one_over_bulk": round(
                    statistics.median(sides["reference"]) / statistics.median(sides["bulk"]), 2
                ),
                "per_round": [
                    round(r / b, 2) for r, b in zip(sides["reference"], sides["bulk"], strict=True)
                ],
            }
        result["load_average_before"] = [round(x, 2) for x in load_before]
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
