"""Building real git repositories for the tests, commit by commit."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from credence.portfolios.gitsafe import Limits

# Tests clone from local paths; production allows https only.
TEST_LIMITS = Limits(protocols=("file",), clone_seconds=60)

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def git(
    cwd: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None
) -> str:
    full = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        **(env or {}),
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=full, capture_output=True, input=input, check=True
    )
    return done.stdout.decode()


class RepoBuilder:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", "main")
        git(path, "config", "uploadpack.allowFilter", "true")
        self.clock = BASE

    def commit(
        self,
        files: dict[str, str | bytes | None],
        *,
        name: str = "Ada Lovelace",
        email: str = "ada@example.org",
        at: datetime | None = None,
        message: str = "work",
        committer: tuple[str, str] | None = None,
    ) -> str:
        written: list[str] = []
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                git(self.path, "rm", "-q", "--", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
            written.append(rel)
        if written:
            # one `git add` for all of them: a process per file made a 1,500-file commit take
            # many seconds; the paths go on stdin, NUL-separated, so no name or count is too much
            git(
                self.path,
                "add",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                input=b"\0".join(rel.encode() for rel in written),
            )
        when = at or self.clock
        self.clock = when + timedelta(days=1)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S%z")
        cname, cemail = committer or (name, email)
        git(
            self.path,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
            env={
                "GIT_AUTHOR_NAME": name,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_NAME": cname,
                "GIT_COMMITTER_EMAIL": cemail,
                "GIT_COMMITTER_DATE": stamp,
            },
        )
        return git(self.path, "rev-parse", "HEAD").strip()
