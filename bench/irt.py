"""IRT calibration benchmark (issue 8; not a test): Credence's 2PL MML-EM against girth.

    .venv/bin/python bench/irt.py [--repeat 3] [--seed 2026]

Two synthetic 2PL data sets with known parameters (credence.psychometrics.simulation: a ~
lognormal(0, 0.3), b ~ N(0, 1), θ ~ N(0, 1)):

* 2,000 persons x 60 items, complete;
* 20,000 persons x 100 items, 30% of the responses missing at random.

For each: wall-clock and CPU seconds (median of --repeat runs, after one warm-up run of each
tool on a small data set, so imports and first-call costs are not counted) and RMSE of a and
b against the true values, for Credence as it runs by default (one BLAS thread, through
threadpoolctl: the single-thread time) and with the BLAS library's default threads, and for
girth 0.8
(`girth.twopl_mml`, its default options) on the same data in the same run, when girth is
importable. girth is not a dependency of the project: `.venv/bin/pip install girth` to
compare. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from credence.psychometrics.irt import calibrate
from credence.psychometrics.simulation import Simulated, simulate

DATA_SETS = (
    {"name": "2000x60 complete", "persons": 2000, "items": 60, "missing": 0.0},
    {"name": "20000x100 30% missing", "persons": 20000, "items": 100, "missing": 0.3},
)
#: The issue's targets: at most a fifth of girth's time, RMSEs within 0.002 of girth's.
SPEED_TARGET = 0.2
RMSE_MARGIN = 0.002


def _rmse(estimate: np.ndarray, truth: np.ndarray) -> float:
    return round(float(np.sqrt(np.mean((np.asarray(estimate) - truth) ** 2))), 4)


def _data(spec: dict[str, Any], seed: int) -> Simulated:
    return simulate(spec["persons"], spec["items"], seed=seed, missing=spec["missing"])


def _credence(
    data: Simulated, threads: int | None = 1
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    calibration = calibrate(data.responses, data.item_ids, model="2pl", threads=threads)
    report = {"converged": calibration.converged, "iterations": calibration.iterations}
    return calibration.a, calibration.b, report


def _girth(data: Simulated) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    import girth

    # girth wants items x persons integers, with its own code for "not presented".
    matrix = np.where(np.isnan(data.responses), girth.INVALID_RESPONSE, data.responses)
    result = girth.twopl_mml(matrix.astype(int).T)
    return result["Discrimination"], result["Difficulty"], {}


def _measure(tool: Any, data: Simulated, repeat: int) -> dict[str, Any]:
    seconds, cpu_seconds = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        a, b, report = tool(data)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - started_cpu)
    return {
        "seconds": round(statistics.median(seconds), 3),
        "cpu_seconds": round(statistics.median(cpu_seconds), 3),
        "runs": [round(s, 3) for s in seconds],
        "rmse_a": _rmse(a, data.a),
        "rmse_b": _rmse(b, data.b),
        **report,
    }


def _warm_up(tool: Any, seed: int) -> None:
    tool(simulate(300, 10, seed=seed))


def _girth_available() -> str | None:
    try:
        import girth  # noqa: F401
    except ImportError:
        return None
    from importlib.metadata import version

    return version("girth")


def _machine() -> dict[str, Any]:
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name', '?')} {blas.get('version', '')}".strip(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    girth_version = _girth_available()
    _warm_up(_credence, args.seed)
    if girth_version:
        _warm_up(_girth, args.seed)
    results = []
    for spec in DATA_SETS:
        data = _data(spec, args.seed)
        ours = _measure(_credence, data, args.repeat)
        entry: dict[str, Any] = {
            **spec,
            "credence": ours,
            "credence_blas_default_threads": _measure(
                lambda d: _credence(d, threads=None), data, args.repeat
            ),
        }
        if girth_version:
            theirs = _measure(_girth, data, args.repeat)
            entry["girth"] = theirs
            entry["time_ratio_credence_to_girth"] = round(ours["seconds"] / theirs["seconds"], 3)
            entry["cpu_ratio_credence_to_girth"] = round(
                ours["cpu_seconds"] / theirs["cpu_seconds"], 3
            )
            entry["targets_met"] = {
                "time_at_most_a_fifth": entry["time_ratio_credence_to_girth"] <= SPEED_TARGET,
                "rmse_a_within_0.002": ours["rmse_a"] <= theirs["rmse_a"] + RMSE_MARGIN,
                "rmse_b_within_0.002": ours["rmse_b"] <= theirs["rmse_b"] + RMSE_MARGIN,
            }
        results.append(entry)
    print(
        json.dumps(
            {
                "benchmark": "irt-2pl-calibration",
                "seed": args.seed,
                "repeat": args.repeat,
                "girth": girth_version or "not installed",
                "machine": _machine(),
                "data_sets": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
