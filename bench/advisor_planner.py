"""Advisor and planner benchmark (not a test): the pure rules behind the advisor page and API
and the path planner, without the database.

    .venv/bin/python bench/advisor_planner.py [--repeat 5]

Advisor: every combination of the five answers (240) against the 14 entries of the committed
signal guide. Planner: the AI Engineer program's 14 evaluations for candidates with random
histories (failures, passes, waivers), with and without a session calendar. Prints one JSON
object: median microseconds per call.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")


def _median_us(function, calls: int, repeat: int) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        runs.append((time.perf_counter() - started) / calls * 1e6)
    return round(statistics.median(runs), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from credence.catalog.api import rules_from_file
    from credence.exams.policy import AttemptRecord, History, WaiverRecord
    from credence.exams.statuses import AttemptStatus
    from credence.learning.planner import plan_path
    from credence.recognition.policy import (
        Answers,
        CareerRole,
        Cloud,
        Condition,
        GuideEntrySpec,
        advise,
    )
    from credence.recognition.services import SIGNAL_GUIDE_FILE

    guide = json.loads(SIGNAL_GUIDE_FILE.read_text(encoding="utf-8"))
    specs = tuple(
        GuideEntrySpec(
            slug=e["slug"],
            name=e["name"],
            provider=e["provider"],
            category=e["category"],
            cloud_platform=e["cloud_platform"],
            worth_pursuing_if=tuple(Condition(**c) for c in e.get("worth_pursuing_if", [])),
            not_worth_it_if=tuple(Condition(**c) for c in e.get("not_worth_it_if", [])),
            why_avoid=tuple(e.get("why_avoid", [])),
        )
        for e in guide["entries"]
    )
    all_answers = [
        Answers(f, c, r, h, p)
        for f, c, r, h, p in itertools.product(
            (True, False), list(Cloud), list(CareerRole), (True, False), (True, False)
        )
    ]
    cursor = itertools.cycle(all_answers)

    rules = rules_from_file()
    today = date(2026, 11, 25)
    rng = random.Random(7)
    codes = [c.code for c in rules.certifications]
    histories = []
    for _ in range(200):
        attempts = []
        for _ in range(rng.randint(0, 8)):
            day = today - timedelta(days=rng.randint(0, 300))
            status = rng.choice([AttemptStatus.FAILED, AttemptStatus.PASSED, AttemptStatus.NO_SHOW])
            attempts.append(
                AttemptRecord(
                    rng.choice(codes),
                    rng.choice(["knowledge-test", "portfolio"]),
                    day,
                    status,
                    None,
                    day,
                )
            )
        waivers = (
            (WaiverRecord("ml-expert", "knowledge-test", today),) if rng.random() < 0.2 else ()
        )
        histories.append(History(attempts=tuple(attempts), waivers=waivers))
    history_cursor = itertools.cycle(histories)
    electives = tuple(rules.composite.electives[:3])

    def sessions(cert: str, evaluation: str, day: date) -> date | None:
        return (
            day + timedelta(days=(14 - day.toordinal() % 14))
            if evaluation == "knowledge-test"
            else day
        )

    result = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "advisor_entries": len(specs),
        "advisor_us_per_call": _median_us(lambda: advise(specs, next(cursor)), 2000, args.repeat),
        "planner_us_per_call": _median_us(
            lambda: plan_path(
                rules, next(history_cursor), electives=electives, today=today, registered_on=today
            ),
            300,
            args.repeat,
        ),
        "planner_with_sessions_us_per_call": _median_us(
            lambda: plan_path(
                rules,
                next(history_cursor),
                electives=electives,
                today=today,
                registered_on=today,
                sessions=sessions,
            ),
            300,
            args.repeat,
        ),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
