from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.portfolios.tests.gitrepos import RepoBuilder


@dataclass
class GitDaemon:
    root: Path
    port: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, name: str) -> str:
        return f"git://{self.host}/{name}"

    def repo(self, name: str) -> RepoBuilder:
        return RepoBuilder(self.root / name)


@pytest.fixture
def git_daemon(tmp_path: Path, settings) -> Iterator[GitDaemon]:
    """A real git server on localhost, and the settings that allow submitting from it."""
    root = tmp_path / "served"
    root.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={root}",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)
    settings.CREDENCE_PORTFOLIO_HOSTS = [f"127.0.0.1:{port}"]
    settings.CREDENCE_PORTFOLIO_PROTOCOLS = ["git"]
    try:
        yield GitDaemon(root, port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


def make_user(email: str, *roles: Role) -> User:
    user = User.objects.create_user(email, "x" * 12, full_name=email.split("@")[0].title())
    for role in roles:
        user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture
def office(program) -> User:
    return make_user("office@example.invalid", Role.STAFF)


@pytest.fixture
def examiners(program) -> tuple[User, User]:
    return (
        make_user("erin@example.invalid", Role.EXAMINER),
        make_user("ezra@example.invalid", Role.EXAMINER),
    )


@pytest.fixture
def candidate(program) -> User:
    return make_user("cand@example.invalid", Role.CANDIDATE)
