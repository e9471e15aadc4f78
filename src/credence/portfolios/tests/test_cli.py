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


def test_cli_prints_the_report_with_relevance_to_the_certification(tmp_path, program):
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


def test_cli_unknown_certification_and_unreadable_source_are_clear_errors(tmp_path, program):
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"a.py": "x\n"})
    with pytest.raises(CommandError, match="no certification 'nope' in the program 'ai-engi"):
        call_command("portfolio", "analyze", str(repo.path), "--certification", "nope")
    with pytest.raises(CommandError, match=r"^Credence could not reach the repository's host"):
        call_command("portfolio", "analyze", "https://127.0.0.1:1/none.git")


def bot_and_candidate_repo(tmp_path) -> RepoBuilder:
    repo = RepoBuilder(tmp_path / "src")
    repo.commit({"train.py": "import sklearn\n"}, email="cand@example.org")
    repo.commit({"lock.txt": "numpy==2.1\n"}, name="Nightly Runner", email="runner@build.example")
    return repo


def analyze_json(repo: RepoBuilder, *args: str) -> dict:
    out = io.StringIO()
    call_command("portfolio", "analyze", str(repo.path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_takes_topics_and_bots_from_the_loaded_program(tmp_path, db):
    from credence.catalog.tests.programs import OTHER_TOPICS, load_text, other_program_text

    repo = bot_and_candidate_repo(tmp_path)
    assert analyze_json(repo)["commits"] == 2  # no program loaded: the report's own bots only
    load_text(other_program_text())  # its bots include "nightly runner"

    report = analyze_json(repo, "--certification", "ml-expert")

    assert (report["commits"], report["commits_including_bots"]) == (1, 2)
    assert [b["email"] for b in report["bots"]] == ["runner@build.example"]
    assert [t["code"] for t in report["relevance"]["topics"]] == OTHER_TOPICS


def test_cli_takes_them_from_a_named_program_file_instead(tmp_path, db):
    from credence.catalog.tests.programs import OTHER_TOPICS, other_program_text

    repo = bot_and_candidate_repo(tmp_path)
    other = tmp_path / "other.toml"
    other.write_text(other_program_text(), encoding="utf-8")

    report = analyze_json(repo, "--certification", "ml-expert", "--program", str(other))

    assert report["commits"] == 1
    assert [t["code"] for t in report["relevance"]["topics"]] == OTHER_TOPICS
    with pytest.raises(CommandError, match="No single program is loaded"):
        analyze_json(repo, "--certification", "ml-expert")
    other.write_text("[program]\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"other\.toml.*\[rules\] table is missing"):
        analyze_json(repo, "--program", str(other))


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
