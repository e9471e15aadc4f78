"""Psychometric reports benchmark (issue 8 part B; not a test): how long the staff pages'
plots, Rudner's decision accuracy and the equated-score hook take, and how far Rudner's
accuracy is from a simulation of the same model.

    .venv/bin/python bench/psychometrics_reports.py [--repeat 5] [--seed 2026]

A synthetic 2PL bank of 63 items (a ~ U(0.7, 2.0), b ~ N(0, 1)) calibrated on 1,000 persons;
a 60-item form of it; the cut at θ = 0.5. Times are the median of --repeat runs after one
warm-up (matplotlib's font cache and first imports are not counted). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")

import django

django.setup()

import numpy as np  # noqa: E402

from credence.psychometrics import accuracy, equating, irt, plots  # noqa: E402


def _median_seconds(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    a, b = rng.uniform(0.7, 2.0, 63), rng.normal(0, 1, 63)
    theta = rng.standard_normal(1000)
    responses = (rng.random((1000, 63)) < irt.probability(theta, a, b)).astype(float)
    fitted = irt.calibrate(responses, [str(j) for j in range(63)])
    form = (fitted.a[:60], fitted.b[:60])
    reference = (fitted.a[3:], fitted.b[3:])
    theta_cut = 0.5

    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "repeat": args.repeat,
        "plots": {},
    }
    for name in plots.PLOTS:
        seconds, svg = _median_seconds(partial(plots.plot, name, fitted, responses), args.repeat)
        result["plots"][name] = {"seconds": round(seconds, 3), "kib": round(len(svg) / 1024)}
    seconds, rudner = _median_seconds(lambda: accuracy.rudner(*form, theta_cut), args.repeat)
    simulated_seconds, simulated = _median_seconds(
        lambda: accuracy.simulated(*form, theta_cut, persons=20_000, seed=args.seed), 1
    )
    result["decision_accuracy"] = {
        "rudner_seconds": round(seconds, 4),
        "simulation_seconds_20000_persons": round(simulated_seconds, 3),
        "rudner_accuracy": round(rudner.accuracy, 4),
        "simulated_accuracy": round(simulated.accuracy, 4),
        "rudner_consistency": round(rudner.consistency, 4),
        "simulated_consistency": round(simulated.consistency, 4),
        "marginal_reliability": round(accuracy.marginal_reliability(*form), 4),
    }
    seconds, _ = _median_seconds(
        lambda: [equating.equated_percent(raw, form, reference) for raw in range(61)],
        args.repeat,
    )
    result["equated_score_ms_per_call"] = round(seconds / 61 * 1000, 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
