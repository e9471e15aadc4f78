"""Benchmark: the portfolio evidence report on generated repositories (issue 4).

Generates repositories of 1,000 and 20,000 commits with ``git fast-import`` (several authors,
one of them under two identities, a bot, Python files with imports and tests, a notebook, a
requirements file) and times, in the same run and over the same repository:

- ``git_log_numstat``: plain ``git log --numstat`` to /dev/null, the floor;
- ``history``: Credence's history walk (one ``git log --numstat --raw`` process parsed in
  Python, identities merged);
- ``analysis``: the whole report on an existing clone (history, tree, secrets over every blob
  of the history, relevance);
- ``analysis_with_clone``: ``analyze(path)``, including the safe bare clone.

Each figure is the best of ``--repeat`` runs, in seconds. Prints JSON. Not a test.

    .venv/bin/python bench/portfolio_analyze.py [--sizes 1000 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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

AUTHORS = [
    ("Ada Lovelace", "ada@example.org"),
    ("Ada Lovelace", "1234+ada@users.noreply.github.com"),
    ("Grace Hopper", "grace@example.org"),
    ("ubuntu", "ubuntu@ip-10-0-0-1.ec2.internal"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
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
        if i % 50 == 0:
            cells = [{"cell_type": "code", "source": [f"x = {i}"], "outputs": []}]
            lines.append(b"M 100644 inline analysis.ipynb\n")
            data(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    stream = b"".join(lines)
    subprocess.run(["git", "fast-import", "--quiet"], input=stream, cwd=path, check=True)


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(min(times), 4)


def run(commits: int, repeat: int, workdir: Path) -> dict[str, object]:
    source = workdir / f"repo-{commits}"
    started = time.perf_counter()
    generate(source, commits)
    generated = round(time.perf_counter() - started, 2)
    limits = Limits(protocols=("file",))
    repo = clone(source.resolve().as_uri(), limits=limits)
    try:
        head = resolve_commit(repo, None)
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

        def raw_log() -> None:
            subprocess.run(
                ["git", "--git-dir", str(repo.path), "log", "--numstat", head],
                stdout=subprocess.DEVNULL,
                env=env,
                check=True,
            )

        def history() -> None:
            commits_, _ = read_commits(repo, head, max_commits=limits.max_commits, present=set())
            authorship(commits_, declared=["ada"])

        results: dict[str, object] = {
            "commits": commits,
            "generate_seconds": generated,
            "git_log_numstat": best(repeat, raw_log),
            "history": best(repeat, history),
            "analysis": best(
                repeat, lambda: analyze_clone(repo, head, identities=["ada"], limits=limits)
            ),
            "analysis_with_clone": best(
                repeat, lambda: analyze(str(source), identities=["ada"], limits=limits)
            ),
        }
    finally:
        repo.close()
    results["history_over_floor"] = round(
        float(results["history"]) / float(results["git_log_numstat"]),
        2,  # type: ignore[arg-type]
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="credence-bench-") as tmp:
        runs = [run(n, args.repeat, Path(tmp)) for n in args.sizes]
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout
    print(
        json.dumps(
            {
                "benchmark": "portfolio_analyze",
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "git": git_version.strip(),
                },
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
