"""Hostile repositories give a report or a clear error: never a crash, a hang or an escape."""

from __future__ import annotations

import json
import os
import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from credence.portfolios.analysis import AnalysisError, analyze
from credence.portfolios.gitsafe import Limits
from credence.portfolios.tests.gitrepos import TEST_LIMITS, RepoBuilder, git


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "src")


def test_huge_repository_is_refused_with_a_clear_error(repo):
    repo.commit({"blob.bin": random.Random(1).randbytes(2_000_000)})
    limits = Limits(protocols=("file",), max_repo_bytes=500_000)
    with pytest.raises(AnalysisError, match=r"larger than"):
        analyze(str(repo.path), limits=limits)


def test_many_tiny_files_are_read_up_to_the_limit(repo):
    repo.commit({f"d{i // 100}/f{i}.py": f"x = {i}\n" for i in range(1500)})
    limits = Limits(protocols=("file",), max_files=1000)
    report = analyze(str(repo.path), limits=limits)
    assert report["files"] == 1000
    assert report["notes"][0] == "The tree has 1500 files; only the first 1000 were read."
    assert report["commits"] == 1


def test_symlinks_to_etc_are_never_followed(repo):
    os.symlink("/etc/passwd", repo.path / "README.md")
    os.symlink("/etc", repo.path / "config")
    git(repo.path, "add", "README.md", "config")
    repo.commit({"LICENSE": "MIT\n"})
    report = analyze(str(repo.path), limits=TEST_LIMITS)
    assert report["symlinks"] == ["README.md", "config"]
    assert report["readme"]["present"] is False
    assert "root:" not in json.dumps(report)


def test_hooks_filters_and_fsmonitor_of_the_source_never_run(repo, tmp_path):
    marker = tmp_path / "ran"
    script = f"#!/bin/sh\ntouch {marker}\n"
    hooks = repo.path / ".git" / "hooks"
    for name in (
        "post-checkout",
        "post-merge",
        "reference-transaction",
        "pre-push",
        "post-index-change",
    ):
        (hooks / name).write_text(script)
        (hooks / name).chmod(0o755)
    git(repo.path, "config", "core.fsmonitor", f"touch {marker}")
    git(repo.path, "config", "filter.evil.smudge", f"touch {marker}")
    repo.commit(
        {
            ".gitattributes": "* filter=evil\n",
            ".githooks/post-checkout": script,
            "README.md": "# hi\n",
        }
    )
    marker.unlink(missing_ok=True)  # our own `git commit` above may have run a hook
    report = analyze(str(repo.path), limits=TEST_LIMITS)
    assert report["readme"]["present"] is True
    assert not marker.exists()


def test_path_traversal_names_are_never_written(repo, tmp_path):
    blob = git(repo.path, "hash-object", "-w", "--stdin", input=b"escaped\n").strip()
    escape = tmp_path / "escaped.txt"
    name = f"../../../../../../..{escape}".encode()
    entry = b"100644 " + name + b"\0" + bytes.fromhex(blob)
    entry2 = b"100644 ..\0" + bytes.fromhex(blob)
    tree = git(
        repo.path,
        "hash-object",
        "-t",
        "tree",
        "-w",
        "--literally",
        "--stdin",
        input=entry2 + entry,
    ).strip()
    commit = git(
        repo.path,
        "commit-tree",
        tree,
        "-m",
        "evil",
        env={
            "GIT_AUTHOR_NAME": "E",
            "GIT_AUTHOR_EMAIL": "e@x",
            "GIT_COMMITTER_NAME": "E",
            "GIT_COMMITTER_EMAIL": "e@x",
        },
    ).strip()
    git(repo.path, "update-ref", "refs/heads/main", commit)
    report = analyze(str(repo.path), limits=TEST_LIMITS)
    assert report["commit"] == commit
    assert report["files"] == 2
    assert not escape.exists()


def test_submodule_pointing_at_a_local_path_is_not_fetched(repo, tmp_path):
    private = RepoBuilder(tmp_path / "private")
    private_sha = private.commit({"secret.txt": "TOPSECRET-CONTENT\n", "x.py": "import torch\n"})
    (repo.path / ".gitmodules").write_text(
        f'[submodule "vendor"]\n\tpath = vendor\n\turl = {private.path}\n'
    )
    git(repo.path, "add", ".gitmodules")
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{private_sha},vendor")
    repo.commit({"main.py": "print(1)\n"})
    report = analyze(str(repo.path), limits=TEST_LIMITS)
    assert report["submodules"] == ["vendor"]
    assert "PyTorch" not in report["frameworks"]
    assert "TOPSECRET" not in json.dumps(report)


def test_pathological_notebooks_are_counted_as_unreadable(repo):
    nested = "[" * 100_000 + "]" * 100_000
    repo.commit(
        {
            "deep.ipynb": nested,
            "broken.ipynb": '{"cells": [',
            "odd.ipynb": json.dumps({"cells": {"not": "a list"}}),
            "weird.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": 42}, 7, None]}),
            "list.ipynb": "[1, 2, 3]",
            "huge.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": "x" * 300_000}]}),
        }
    )
    limits = Limits(protocols=("file",), max_notebook_bytes=250_000)
    report = analyze(str(repo.path), limits=limits)
    assert report["notebooks"] == {"count": 6, "with_outputs": 0, "code_cells": 1, "unreadable": 5}
    assert report["notes"] == [
        "huge.ipynb is larger than 250000 bytes and was not read.",
        "Could not tell whether the repository is a fork.",
    ]


def test_a_server_that_never_answers_times_out():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    port = server.getsockname()[1]
    limits = Limits(protocols=("git",), clone_seconds=2)
    started = time.monotonic()
    try:
        with pytest.raises(AnalysisError, match=r"longer than 2 s"):
            analyze(f"git://127.0.0.1:{port}/repo.git", limits=limits)
    finally:
        server.close()
    assert time.monotonic() - started < 10


class _AuthWall(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="private"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_private_repository_fails_without_asking_for_credentials():
    httpd = HTTPServer(("127.0.0.1", 0), _AuthWall)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    limits = Limits(protocols=("http",), clone_seconds=20)
    try:
        with pytest.raises(AnalysisError, match=r"(?i)username|authentication|terminal prompts"):
            analyze(f"http://127.0.0.1:{httpd.server_port}/private.git", limits=limits)
    finally:
        httpd.shutdown()


def test_protocols_outside_the_allowed_list_are_refused(repo, tmp_path):
    repo.commit({"a.py": "x\n"})
    marker = tmp_path / "ext-ran"
    with pytest.raises(AnalysisError, match=r"(?i)transport"):
        analyze(f"ext::sh -c touch% {marker}", limits=Limits(protocols=("https",)))
    assert not marker.exists()
    with pytest.raises(AnalysisError, match=r"(?i)transport"):
        analyze(repo.path.as_uri(), limits=Limits(protocols=("https",)))


def test_an_empty_repository_is_a_clear_error(repo):
    with pytest.raises(AnalysisError, match="empty"):
        analyze(str(repo.path), limits=TEST_LIMITS)


def test_an_unknown_or_option_like_commit_is_a_clear_error(repo):
    repo.commit({"a.py": "x\n"})
    with pytest.raises(AnalysisError, match="no commit"):
        analyze(str(repo.path), commit="deadbeef", limits=TEST_LIMITS)
    with pytest.raises(AnalysisError, match="not a commit"):
        analyze(str(repo.path), commit="--output=/tmp/x", limits=TEST_LIMITS)
