"""``credence portfolio analyze`` prints the report as JSON with the documented fields."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from credence.portfolios.tests.gitrepos import RepoBuilder

FIELDS = {
    "commit",
    "commits",
    "authors",
    "active_days",
    "first_commit",
    "last_commit",
    "candidate_share",
    "largest_commit_share",
    "is_fork",
    "tests",
    "ci",
    "readme",
    "license",
    "manifests",
    "notebooks",
    "large_files",
    "secrets",
    "frameworks",
    "relevance",
}


def test_cli_prints_the_report_with_relevance_to_the_certification(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit(
        {
            "requirements.txt": "scikit-learn==1.5.0\nfastapi\n",
            "train.py": "from sklearn import svm\n",
        },
        email="cand@example.org",
    )
    head = repo.commit(
        {"tests/test_train.py": "def test_fit():\n    pass\n"}, email="cand@example.org"
    )
    out = io.StringIO()
    call_command(
        "portfolio",
        "analyze",
        str(repo.path),
        "--certification",
        "ml-expert",
        "--identity",
        "cand@example.org",
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert set(report) >= FIELDS
    assert report["commit"] == head
    assert report["candidate_share"] == {"commits": 1.0, "lines": 1.0}
    assert report["tests"] == {"files": 1, "functions": 1}
    topics = {t["code"]: t["covered"] for t in report["relevance"]["topics"]}
    assert topics == {
        "supervised-learning": True,
        "model-evaluation": True,
        "model-deployment": True,
    }
    assert report["relevance"]["score"] == 100


def test_cli_unknown_certification_and_unreadable_source_are_clear_errors(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"a.py": "x\n"})
    with pytest.raises(CommandError, match="no certification 'nope'"):
        call_command("portfolio", "analyze", str(repo.path), "--certification", "nope")
    with pytest.raises(CommandError, match=r"^Credence could not reach the repository's host"):
        call_command("portfolio", "analyze", "https://127.0.0.1:1/none.git")


def test_console_script_runs_the_same_command(tmp_path):
    repo = RepoBuilder(tmp_path / "src")
    sha = repo.commit({"a.py": "x\n"})
    done = subprocess.run(
        [sys.executable, "-m", "credence", "portfolio", "analyze", str(repo.path), "--json"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout)["commit"] == sha
