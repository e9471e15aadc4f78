"""Start-up of the console script (issue 14; not a test): every ``credence ... --help``.

    .venv/bin/python bench/cli_help.py [--repeat 5] [--only psychometrics]

Times, as wall clock around the process, ``credence --help``, ``credence COMMAND --help`` for
every command (the project's, Django's and the other apps') and ``credence COMMAND ACTION
--help`` for every action of a command with actions, each against the reference ``python -c
pass`` run right before or after it (the order alternates), ``--repeat`` rounds over the whole
list. Reports per command line the median and spread of its times and of its ratio to its
reference run, and over all of them the slowest median and how many medians are over the
issue's 0.5 s. One warm-up run of each line first, so that the byte code is written as it is
on an installed system (PYTHONDONTWRITEBYTECODE is dropped for the runs). The commands run in
a temporary directory with a temporary SQLite file; help touches neither. Prints one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))
# the console script as installed (pyproject's [project.scripts])
CREDENCE = [str(Path(sys.executable).with_name("credence"))]
REFERENCE = [sys.executable, "-c", "pass"]
TARGET_SECONDS = 0.5


def command_lines() -> list[list[str]]:
    """``credence --help``, then every command and every action of a command, with --help."""
    from django.core.management import get_commands, load_command_class

    lines = [["--help"]]
    for name, app in sorted(get_commands().items()):
        lines.append([name, "--help"])
        parser = load_command_class(app, name).create_parser("credence", name)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                lines.extend([name, sub, "--help"] for sub in action.choices)
    return lines


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds over all command lines")
    parser.add_argument("--only", help="only command lines starting with this command")
    options = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="credence-bench-cli-")
    env = {
        **os.environ,
        "CREDENCE_VAR_DIR": workdir,
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "PYTHONPATH": str(SRC),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.update({k: env[k] for k in ("CREDENCE_VAR_DIR", "DATABASE_URL")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "credence.settings"
    import django

    django.setup()
    lines = [line for line in command_lines() if options.only in (None, line[0] if line else None)]
    for line in lines:  # warm-up: byte code written, files in the page cache
        wall(CREDENCE + line, env)

    load_before = os.getloadavg()
    times: dict[str, list[float]] = {" ".join(line): [] for line in lines}
    references: dict[str, list[float]] = {key: [] for key in times}
    for round_ in range(options.repeat):
        for index, line in enumerate(lines):
            key = " ".join(line)
            # alternate which of the two runs first, so that neither always gets the warmer cache
            if (round_ + index) % 2:
                times[key].append(wall(CREDENCE + line, env))
                references[key].append(wall(REFERENCE, env))
            else:
                references[key].append(wall(REFERENCE, env))
                times[key].append(wall(CREDENCE + line, env))

    per_line: dict[str, Any] = {}
    for key, runs in times.items():
        ratios = [run / ref for run, ref in zip(runs, references[key], strict=True)]
        per_line[f"credence {key}"] = {
            "seconds": spread(runs),
            "reference_seconds": spread(references[key]),
            "ratio": spread(ratios, 1),
        }
    medians = {key: entry["seconds"]["median"] for key, entry in per_line.items()}
    slowest = max(medians, key=medians.__getitem__)
    all_references = [t for runs in references.values() for t in runs]
    result = {
        "benchmark": "credence ... --help, wall clock per process",
        "repeat": options.repeat,
        "command_lines": len(lines),
        "reference": "python -c pass, interleaved",
        "reference_seconds": spread(all_references),
        "slowest": {"command": slowest, **per_line[slowest]},
        "median_of_medians_seconds": round(statistics.median(medians.values()), 3),
        "over_target": sorted(key for key, median in medians.items() if median > TARGET_SECONDS),
        "target_seconds": TARGET_SECONDS,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "per_command": per_line,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
