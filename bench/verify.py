"""Benchmark of credential verification (issues 6 and 14). Not a test: prints JSON.

Offline verification against Digital Bazaar's verifier (jsonld-signatures with the
eddsa-rdfc-2022 cryptosuite on Node.js, the one the interoperability tests install), on the
same signed Open Badges 3.0 credentials (--credentials of them, each issued to its own
certified candidate): each side checks every credential's Data Integrity proof against the DID
document, then (second mode) its status list (the message list since decision 0049), a signed
credential too, and the credential's entry in it. Both sides run in-process and warm (one
untimed pass first); ours with the proof memo cleared before every credential, so each one is
canonicalized afresh. A third mode times broken credentials (changed after signing, or with a
term no context defines), which both sides must refuse. The two sides alternate, in turn
first, for --rounds rounds; the ratio is the reference's time over ours (above 1: we are
faster).

The public verification page under load is bench/verification_page.py (issue 14, item 2).

Everything runs on this machine: a throwaway SQLite database and keys in a temporary folder.
Usage:

    .venv/bin/python bench/verify.py [--credentials 200] [--rounds 7]
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
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


def _set_up(count: int) -> list[str]:
    """Migrate, load the program, certify ``count`` candidates; return their serials."""
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


class _Reference:
    """Digital Bazaar's verifier in one Node.js process holding the same credentials."""

    def __init__(self, bundle: dict[str, Any], folder: Path) -> None:
        from credence.credentials.linkeddata import CONTEXTS_DIR
        from credence.credentials.tests import interop_node

        # installed where the tests install it (the checkout's var/), not in the throwaway
        # folder, so that a second run needs no npm
        work = interop_node.install(Path(__file__).resolve().parent.parent / "var")
        bundle_file = folder / "bundle.json"
        bundle_file.write_text(json.dumps(bundle))
        self.process = subprocess.Popen(
            [interop_node.node(), str(work / "bench.mjs"), str(bundle_file), str(CONTEXTS_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, mode: str) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(mode + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the reference verifier stopped (exit {self.process.wait()})")
        return float(json.loads(line)["seconds"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def _offline(serials: list[str], rounds: int, folder: Path) -> dict[str, Any]:
    from django.utils import timezone

    from credence.credentials import dataintegrity, selectors
    from credence.credentials.models import Certificate
    from credence.credentials.statuses import Standing
    from credence.credentials.verification import verify_credential

    credentials: list[dict[str, Any]] = [
        c.credential
        for c in Certificate.objects.filter(serial__in=serials).order_by("serial")
        if c.credential is not None  # every one was signed above
    ]
    did_documents = {selectors.issuer_did(): selectors.did_document()}
    lists = {
        selectors.status_list_url(p): selectors.status_list_credential(p)
        for p in ("message", "revocation", "suspension")
    }
    now = timezone.now()
    # Broken credentials, each of which must fail: even ones changed after signing (the
    # signature no longer matches), odd ones with a term no context defines (refused before
    # any signature is checked).
    broken = copy.deepcopy(credentials)
    for number, credential in enumerate(broken):
        if number % 2 == 0:
            credential["validUntil"] = "2040-01-01T00:00:00Z"
        else:
            credential["credentialSubject"]["favouriteColour"] = "blue"

    def ours(mode: str) -> float:
        documents = broken if mode == "broken" else credentials
        with_status = mode == "status"
        expected = {
            "proof": Standing.STATUS_UNKNOWN,
            "status": Standing.VALID,
            "broken": Standing.INVALID,
        }[mode]
        started = time.perf_counter()
        for document in documents:
            dataintegrity._VERIFIED.clear()  # every credential canonicalized and checked afresh
            report = verify_credential(
                document,
                now=now,
                did_documents=did_documents,
                status_lists=lists.get if with_status else None,
            )
            if report.standing != expected:
                raise SystemExit(f"our verifier: {report}")
        return time.perf_counter() - started

    reference = _Reference(
        {
            "didDocument": did_documents[selectors.issuer_did()],
            "credentials": credentials,
            "broken": broken,
            "statusLists": lists,
        },
        folder,
    )
    sides = {"credence": ours, "reference": reference.run}
    modes = {
        "proof": "proof_only",
        "status": "proof_and_status_list",
        "broken": "broken_credentials_refused",
    }
    times: dict[str, dict[str, list[float]]] = {m: {"credence": [], "reference": []} for m in modes}
    try:
        for mode in modes:  # warm: every credential once on each side, untimed
            ours(mode), reference.run(mode)
        for round_ in range(rounds):
            for mode in modes:
                order = ("credence", "reference") if round_ % 2 == 0 else ("reference", "credence")
                for side in order:
                    times[mode][side].append(sides[side](mode))
    finally:
        reference.close()

    result: dict[str, Any] = {"credentials": len(credentials), "rounds": rounds}
    for mode, name in modes.items():
        ms = {
            side: [1000 * t / len(credentials) for t in values]
            for side, values in times[mode].items()
        }
        ratios = [
            r / c for c, r in zip(times[mode]["credence"], times[mode]["reference"], strict=True)
        ]
        result[name] = {
            "credence_ms_each": _spread(ms["credence"]),
            "reference_ms_each": _spread(ms["reference"]),
            "ratio_of_medians": round(
                statistics.median(ms["reference"]) / statistics.median(ms["credence"]), 2
            ),
            "ratio_per_round": _spread(ratios),
        }
    return result


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
    parser.add_argument("--credentials", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="credence-bench-"))
    port = _free_port()
    os.environ.update(_environment(folder, port))
    os.environ.pop("DATABASE_URL", None)
    try:
        serials = _set_up(args.credentials)
        offline = _offline(serials, args.rounds, folder)
        print(json.dumps({"machine": _machine(), "offline": offline}, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
