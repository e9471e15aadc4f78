"""Benchmark: the portfolio evidence report against ``git log --numstat`` (issues 4 and 15).

Times, in the same run and on the same bare clone, interleaved round by round:

- ``git_log_numstat``: plain ``git log --numstat --no-renames`` to /dev/null, the floor;
- ``history``: Credence's history walk alone (one ``git log -p -U0 --raw`` process parsed in
  Python, identities merged), secret scan off;
- ``analysis``: the whole report on the clone, secret scan on (history, added-line secret
  scan, pinned tree, relevance);

and then ``analysis_with_clone``: ``analyze(path)``, the safe bare clone included, against a
plain ``git clone --bare --no-local`` plus the floor. Everything runs in this process (no
interpreter start-up in any figure). Each figure is the median of ``--repeat`` rounds with its
minimum and maximum; ``analysis_over_floor`` is the median of the per-round ratios (with their
spread), the issue's target being at most 3.

Repositories: generated ones of ``--sizes`` commits (``git fast-import``: several authors, one
under three identities, two bots, Python files with imports and tests, a notebook, a CSV upload,
a requirements file, and a script that leaks a token every 5,000 commits), and with ``--real
PATH …`` real repositories (local clones; by default the stored copies of karpathy/nanoGPT,
210 commits, and fastapi/full-stack-fastapi-template, 1,491 commits, when present). Prints JSON
with the machine's load. Not a test.

    .venv/bin/python bench/portfolio_analyze.py [--sizes 20000] [--repeat 5] [--real PATH ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from credence.portfolios.analysis import analyze, analyze_clone, resolve_commit
from credence.portfolios.gitsafe import Limits, clone
from credence.portfolios.history import authorship, read_commits
from credence.portfolios.report import EvidenceReport

DEFAULT_REAL = (
    Path("/work/.mirror/karpathy+nanoGPT/repo"),
    Path("/work/.mirror/fastapi+full-stack-fastapi-template/repo"),
)
AUTHORS = [
    ("Ada Lovelace", "ada@example.org"),
    ("Ada Lovelace", "1234+ada@users.noreply.github.com"),
    ("ada", "ada@laptop.example"),
    ("Grace Hopper", "grace@example.org"),
    ("ubuntu", "ubuntu@ip-10-0-0-1.ec2.internal"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("Sourcery AI", "bot@sourcery.ai"),
]
IMPORTS = ["import torch", "from sklearn import metrics", "import mlflow", "import fastapi"]


def generate(path: Path, commits: int) -> None:
    """A repository of ``commits`` commits, written by one ``git fast-import``."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    lines: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode()
        lines.append(b"data %d\n" % len(raw) + raw + b"\n")

    start = 1_700_000_000
    for i in range(commits):
        name, email = AUTHORS[i % len(AUTHORS)]
        lines.append(b"commit refs/heads/main\n")
        stamp = f"{start + i * 3600} +0000"
        lines.append(f"author {name} <{email}> {stamp}\n".encode())
        lines.append(f"committer {name} <{email}> {stamp}\n".encode())
        data(f"change {i}")
        if i == 0:
            lines.append(b"M 100644 inline requirements.txt\n")
            data("torch==2.1.0+cu118\nscikit-learn>=1.4\nmlflow==2.12.1\n")
            lines.append(b"M 100644 inline README.md\n")
            data("# Generated\n\n## Installation\n\npip install -r requirements.txt\n")
        module = i % 200
        body = "\n".join(
            [IMPORTS[module % len(IMPORTS)]] + [f"value_{module}_{j} = {i * j}" for j in range(8)]
        )
        lines.append(f"M 100644 inline pkg/module_{module}.py\n".encode())
        data(body + "\n")
        if i % 10 == 0:
            lines.append(f"M 100644 inline tests/test_module_{module}.py\n".encode())
            data(f"def test_{i}():\n    assert {i} == {i}\n")
        if i % 5000 == 0:
            leaked = "".join(random.Random(i).choices("abcdefghjkmnpqrstuvwxyz23456789", k=20))
            lines.append(b"M 100644 inline deploy.sh\n")
            data(f"#!/bin/sh\nexport API_TOKEN={leaked}\n./serve --port 8000\n")
        if i == commits // 2:
            rows = "\n".join(f"{r},{r * 3 % 17},{r % 5}" for r in range(20_000))
            lines.append(b"M 100644 inline data/train.csv\n")
            data("a,b,label\n" + rows + "\n")
        if i % 50 == 0:
            cells = [{"cell_type": "code", "source": [f"x = {i}"], "outputs": []}]
            lines.append(b"M 100644 inline analysis.ipynb\n")
            data(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    stream = b"".join(lines)
    subprocess.run(["git", "fast-import", "--quiet"], input=stream, cwd=path, check=True)


def summary(times: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(times), 4),
        "min": round(min(times), 4),
        "max": round(max(times), 4),
    }


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(name: str, source: Path, repeat: int, generated: float | None) -> dict[str, object]:
    limits = Limits(protocols=("file",))
    repo = clone(source.resolve().as_uri(), limits=limits)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    try:
        head = resolve_commit(repo, None)

        def raw_log() -> None:
            subprocess.run(
                ["git", "--git-dir", str(repo.path), "log", "--numstat", "--no-renames", head],
                stdout=subprocess.DEVNULL,
                env=env,
                check=True,
            )

        def history() -> None:
            commits_, _ = read_commits(repo, head, max_commits=limits.max_commits, present=set())
            authorship(commits_, declared=["ada"])

        reports: list[EvidenceReport] = []

        def whole() -> None:
            reports.append(analyze_clone(repo, head, identities=["ada"], limits=limits))

        rounds: dict[str, list[float]] = {"git_log_numstat": [], "history": [], "analysis": []}
        ratios: list[float] = []
        history_ratios: list[float] = []
        whole()  # warm the clone's pack and the page cache once, as every round after it
        for _ in range(repeat):
            floor = timed(raw_log)
            walk = timed(history)
            full = timed(whole)
            rounds["git_log_numstat"].append(floor)
            rounds["history"].append(walk)
            rounds["analysis"].append(full)
            ratios.append(full / floor)
            history_ratios.append(walk / floor)
        report = reports[-1]
        commits = report["commits_including_bots"]
        secrets = len(report["secrets"])
        scan = report["secret_scan"]
    finally:
        repo.close()

    clone_floor: list[float] = []
    with_clone: list[float] = []
    clone_ratios: list[float] = []
    for _ in range(max(1, repeat // 2)):
        with tempfile.TemporaryDirectory(prefix="credence-bench-clone-") as tmp:

            def plain() -> None:
                subprocess.run(
                    ["git", "clone", "-q", "--bare", "--no-local", str(source), f"{tmp}/c.git"],
                    env=env,
                    check=True,
                )
                subprocess.run(
                    ["git", "--git-dir", f"{tmp}/c.git", "log", "--numstat", "--no-renames"],
                    stdout=subprocess.DEVNULL,
                    env=env,
                    check=True,
                )

            base = timed(plain)
        full = timed(lambda: analyze(str(source), identities=["ada"], limits=limits))
        clone_floor.append(base)
        with_clone.append(full)
        clone_ratios.append(full / base)
    return {
        "repository": name,
        "commits": commits,
        **({"generate_seconds": round(generated, 2)} if generated is not None else {}),
        "rounds": repeat,
        "git_log_numstat": summary(rounds["git_log_numstat"]),
        "history": summary(rounds["history"]),
        "analysis": summary(rounds["analysis"]),
        "analysis_over_floor": summary(ratios),
        "history_over_floor": summary(history_ratios),
        "clone_and_git_log_numstat": summary(clone_floor),
        "analysis_with_clone": summary(with_clone),
        "analysis_with_clone_over_floor": summary(clone_ratios),
        "secrets_found": secrets,
        "secret_scan": scan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--real", type=Path, nargs="*", default=[p for p in DEFAULT_REAL if p.exists()]
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory(prefix="credence-bench-") as tmp:
        for n in args.sizes:
            source = Path(tmp) / f"repo-{n}"
            started = time.perf_counter()
            generate(source, n)
            runs.append(
                measure(f"generated-{n}", source, args.repeat, time.perf_counter() - started)
            )
    for path in args.real:
        runs.append(measure(str(path), path, args.repeat, None))
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout
    print(
        json.dumps(
            {
                "benchmark": "portfolio_analyze",
                "command": " ".join(["bench/portfolio_analyze.py", *sys.argv[1:]]),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "git": git_version.strip(),
                    "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()],
                },
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
