"""Running git on repositories nobody vouched for, without running anything of theirs.

Every repository is cloned *bare* into a fresh temporary directory and read with plumbing
commands (``log``, ``ls-tree``, ``rev-list``, ``cat-file``). Nothing is ever checked out, so
symlinks, path-traversal names, ``.gitattributes`` filters and LFS smudging never touch the file
system; the clone gets no hooks (empty template, ``core.hooksPath=/dev/null``) and no submodule
is fetched. The environment ignores the user's and the system's git configuration, never
prompts for credentials, and allows only the protocols the caller names
(``GIT_ALLOW_PROTOCOL``). Size, time and blob-size limits bound what a hostile repository can
cost; a partial clone (``--filter=blob:limit=…``) leaves large blobs on the server, and the
analysis reports them as unreadable instead of fetching them lazily.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# A "-c" for every setting through which a repository or its server could make git run a
# program, follow a link or ask for a password. The clone's own config is written by git
# itself, but we pass these on every command so no later step depends on it.
SAFE_CONFIG: tuple[str, ...] = (
    "core.hooksPath=/dev/null",
    "core.symlinks=false",
    "core.fsmonitor=false",
    "core.askPass=",
    "core.sshCommand=false",
    "core.pager=cat",
    "core.quotePath=true",
    "credential.helper=",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "protocol.ext.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
    "diff.external=",
    "log.showSignature=false",
    "http.followRedirects=initial",
)


# What went wrong, in the product's terms (``portfolios.errors`` says it in words).
NOT_A_REPOSITORY = "not_a_repository"  # nothing there, or a directory that is no repository
NEEDS_LOGIN = "needs_login"  # private, or missing on a host that asks for a login (GitHub)
EMPTY = "empty"
COMMIT_NOT_FOUND = "commit_not_found"
TOO_LARGE = "too_large"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"  # the network or the host: the platform's problem
PROTOCOL = "protocol"  # a transport the settings do not allow
OTHER = "git"


class GitError(Exception):
    """A git step failed. ``kind`` is what went wrong (the constants above), ``detail`` git's
    own relevant message (every line of it that says something; see ``relevant_message``),
    ``params`` the figures a sentence needs (a limit). ``str()`` is the detail;
    ``portfolios.errors.describe`` makes the sentence for the candidate."""

    def __init__(self, detail: str, *, kind: str = OTHER, **params: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.kind = kind
        self.params = params


# Lines git prints that say nothing about this repository: our own empty askpass, the advice
# appended to every "could not read" (we give our own), hints and progress.
_NOISE = (
    re.compile(r"^error: unable to read askpass response"),
    re.compile(r"^Please make sure you have the correct access rights$"),
    re.compile(r"^and the repository exists\.$"),
    re.compile(r"^(hint|remote): "),
    re.compile(r"^warning: (You appear to have cloned an empty repository|filtering not)"),
    re.compile(r"^Cloning into "),
)
_PREFIX = re.compile(r"^(fatal|error|warning): ")


def relevant_message(stderr: str) -> str:
    """Git's whole message without its noise, one sentence per line: ``'/x' does not appear
    to be a git repository. Could not read from remote repository.``"""
    parts: list[str] = []
    for raw in stderr.splitlines():
        line = raw.strip()
        if not line or any(p.match(line) for p in _NOISE):
            continue
        line = _PREFIX.sub("", line)
        if parts and parts[-1].endswith(":"):
            parts[-1] = f"{parts[-1]} {line}"
        else:
            parts.append(line)
    return " ".join(p if p.endswith((".", ":", "!", "?")) else f"{p}." for p in parts)


# Signs that the host was never heard from, or answered that it is failing (DNS, refused or
# timed-out connections, HTTP 5xx, rate limits): the platform's or the host's problem. They
# come first, because git may add a login prompt it could never have answered to them.
_NO_ANSWER = re.compile(
    r"could not resolve|resolve host|failed to connect|couldn't connect|unable to connect|"
    r"connection (refused|reset|timed out)|timed out|network is unreachable|no route to host|"
    r"name or service not known|temporary failure in name resolution|returned error: (5\d\d|429)",
    re.I,
)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PROTOCOL, re.compile(r"transport '[^']*' not allowed|unsupported protocol", re.I)),
    (UNREACHABLE, _NO_ANSWER),
    (
        NEEDS_LOGIN,
        re.compile(
            r"could not read (username|password)|terminal prompts disabled|authentication "
            r"failed|returned error: 40[13]|access denied(?! or repository not exported)",
            re.I,
        ),
    ),
    (
        NOT_A_REPOSITORY,
        re.compile(
            r"does not appear to be a git repository|not a git repository|repository '[^']*' "
            r"not found|not exported|returned error: 404|no such file or directory",
            re.I,
        ),
    ),
    (COMMIT_NOT_FOUND, re.compile(r"not our ref|couldn't find remote ref|no such remote", re.I)),
    # A connection that broke off or a failed TLS handshake, with nothing more telling before
    (
        UNREACHABLE,
        re.compile(r"remote end hung up|early eof|SSL certificate|SSL_|gnutls", re.I),
    ),
)


def classify(message: str) -> str:
    """The kind of a git failure from its whole message (not just the last line)."""
    for kind, pattern in _KINDS:
        if pattern.search(message):
            return kind
    return OTHER


def failure(stderr: bytes, fallback: str) -> GitError:
    text = stderr.decode("utf-8", "replace")
    detail = relevant_message(text) or fallback
    return GitError(detail, kind=classify(text))


@dataclass(frozen=True)
class Limits:
    """What one analysis may cost. The defaults suit real portfolio projects."""

    clone_seconds: float = 300.0
    max_repo_bytes: int = 500 * 1024 * 1024  # the packed clone
    max_blob_bytes: int = 20 * 1024 * 1024  # larger blobs stay on the server (partial clone)
    max_files: int = 50_000  # files read in the pinned tree
    max_commits: int = 200_000
    max_read_bytes: int = 1024 * 1024  # one text file read for the engineering signals
    max_notebook_bytes: int = 10 * 1024 * 1024
    large_file_bytes: int = 10 * 1024 * 1024  # reported as a large file
    protocols: tuple[str, ...] = ("https",)
    # Pauses before asking again when the host could not be reached (``UNREACHABLE``): a
    # short outage of the network or of GitHub should not fail a submission or a report.
    retry_delays: tuple[float, ...] = (0.5, 1.0, 2.0)


@dataclass
class Repo:
    """A bare clone in a temporary directory; ``close()`` (or ``with``) deletes it."""

    path: Path
    protocols: tuple[str, ...]
    _tmp: Path | None = field(default=None, repr=False)

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def git(self, *args: str, input: bytes | None = None, timeout: float = 600.0) -> bytes:
        return run_git(
            "--git-dir",
            str(self.path),
            *args,
            protocols=self.protocols,
            input=input,
            timeout=timeout,
        )

    def popen(self, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*_git_argv(), "--git-dir", str(self.path), *args],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(self.protocols),
        )


def git_env(protocols: Iterable[str]) -> dict[str, str]:
    home = tempfile.gettempdir()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,  # no ~/.gitconfig of whoever runs us
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/false",
        "SSH_ASKPASS": "/bin/false",
        "GIT_ALLOW_PROTOCOL": ":".join(protocols),
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_NO_LAZY_FETCH": "1",  # git >= 2.45; older git: the remote is removed after cloning
        "GIT_LFS_SKIP_SMUDGE": "1",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_PROTOCOL_FROM_USER": "0",
    }


def _git_argv() -> list[str]:
    argv = ["git"]
    for item in SAFE_CONFIG:
        argv += ["-c", item]
    return argv


def run_git(
    *args: str,
    protocols: Iterable[str],
    input: bytes | None = None,
    timeout: float = 600.0,
    cwd: Path | None = None,
) -> bytes:
    try:
        done = subprocess.run(
            [*_git_argv(), *args],
            input=input,
            capture_output=True,
            env=git_env(protocols),
            timeout=timeout,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(
            f"git {args[0]} took longer than {timeout:.0f} s", kind=TIMEOUT, seconds=round(timeout)
        ) from exc
    if done.returncode != 0:
        raise failure(done.stderr, f"git {args[0]} failed")
    return done.stdout


def retrying(step: Callable[[], T], *, delays: Sequence[float]) -> T:
    """``step()``, asked again after each of ``delays`` (seconds) while it fails because the
    host could not be reached. Any other failure (no repository, a login, a limit) is the
    answer at once. The last failure says how often it was tried (``tries``)."""
    waits = list(delays)
    tries = 1
    while True:
        try:
            return step()
        except GitError as exc:
            if exc.kind != UNREACHABLE or not waits:
                exc.params.setdefault("tries", tries)
                raise
        time.sleep(waits.pop(0))
        tries += 1


def _dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def clone(url: str, *, limits: Limits, workdir: Path | None = None) -> Repo:
    """Clone ``url`` bare into a new temporary directory within ``limits``; again after
    ``limits.retry_delays`` while the host cannot be reached.

    Raises ``GitError`` whose ``kind`` says why when the repository cannot be read
    anonymously, is no repository, cannot be reached, is too large, or takes too long.
    """
    return retrying(
        lambda: _clone_once(url, limits=limits, workdir=workdir), delays=limits.retry_delays
    )


def _clone_once(url: str, *, limits: Limits, workdir: Path | None) -> Repo:
    tmp = Path(tempfile.mkdtemp(prefix="credence-clone-", dir=workdir))
    target = tmp / "repo.git"
    template = tmp / "template"
    template.mkdir()
    argv = [
        *_git_argv(),
        "clone",
        "--bare",
        "--quiet",
        "--no-local",  # never hard-link or borrow objects (alternates) from a local source
        f"--template={template}",
        "--no-recurse-submodules",
        f"--filter=blob:limit={limits.max_blob_bytes}",
    ]
    if url.startswith(("/", "file:")):
        # The local transport runs upload-pack on this machine: let it honour the blob filter.
        argv.append("--upload-pack=git -c uploadpack.allowFilter=true upload-pack")
    argv += ["--", url, str(target)]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=git_env(limits.protocols),
        start_new_session=True,  # so a timeout can stop git and its helpers together
    )
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(
        target=lambda: stderr_chunks.append(proc.stderr.read() if proc.stderr else b""),
        daemon=True,
    )
    reader.start()
    deadline = time.monotonic() + limits.clone_seconds
    too_large = GitError(
        f"the repository is larger than {limits.max_repo_bytes} bytes",
        kind=TOO_LARGE,
        limit=limits.max_repo_bytes,
    )
    error: GitError | None = None
    while proc.poll() is None:
        if time.monotonic() > deadline:
            seconds = round(limits.clone_seconds)
            error = GitError(f"cloning took longer than {seconds} s", kind=TIMEOUT, seconds=seconds)
        elif _dir_bytes(tmp) > limits.max_repo_bytes:
            error = too_large
        if error:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05)
    reader.join(timeout=5)
    if error is None and proc.returncode != 0:
        error = failure(b"".join(stderr_chunks), "git clone failed")
    if error is None and _dir_bytes(tmp) > limits.max_repo_bytes:
        error = too_large
    if error is not None:
        shutil.rmtree(tmp, ignore_errors=True)
        raise error
    repo = Repo(path=target, protocols=limits.protocols, _tmp=tmp)
    # Without a remote URL a missing blob can never be fetched lazily (git < 2.45 ignores
    # GIT_NO_LAZY_FETCH); the analysis reports missing blobs instead.
    with contextlib.suppress(GitError):
        repo.git("config", "--unset", "remote.origin.url")
    return repo


def ls_remote(
    url: str,
    *,
    protocols: Iterable[str],
    timeout: float = 30.0,
    retry_delays: Sequence[float] = (),
) -> dict[str, str]:
    """Refs of a remote repository read anonymously: ``{"HEAD": sha, "refs/heads/x": sha}``;
    asked again after each of ``retry_delays`` while the host cannot be reached."""
    out = retrying(
        lambda: run_git("ls-remote", "--symref", "--", url, protocols=protocols, timeout=timeout),
        delays=retry_delays,
    )
    refs: dict[str, str] = {}
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("ref:"):
            continue
        sha, _, name = line.partition("\t")
        refs[name] = sha
    return refs


def fetch_commit(
    url: str,
    commit: str,
    *,
    protocols: Iterable[str],
    timeout: float = 60.0,
    retry_delays: Sequence[float] = (),
) -> None:
    """Whether the remote has ``commit`` (a full id), asked without cloning: the commit object
    alone is fetched (``--depth=1 --filter=tree:0``) into a throw-away bare repository.
    ``GitError`` with kind ``commit_not_found`` when the server does not have it. Asked again
    after each of ``retry_delays`` while the host cannot be reached."""
    retrying(
        lambda: _fetch_commit_once(url, commit, protocols=protocols, timeout=timeout),
        delays=retry_delays,
    )


def _fetch_commit_once(url: str, commit: str, *, protocols: Iterable[str], timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="credence-probe-") as tmp:
        target = Path(tmp) / "probe.git"
        template = Path(tmp) / "template"
        template.mkdir()
        run_git("init", "--quiet", "--bare", f"--template={template}", str(target), protocols=())
        run_git(
            "--git-dir",
            str(target),
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-recurse-submodules",
            "--depth=1",
            "--filter=tree:0",
            "--",
            url,
            commit,
            protocols=protocols,
            timeout=timeout,
        )


class BlobReader:
    """One ``git cat-file --batch`` process; reads many blobs with a single round of requests.

    Only blobs known to be present are asked for (see ``present_objects``), so a partial clone
    never makes cat-file reach for the network.
    """

    def __init__(self, repo: Repo) -> None:
        self.repo = repo

    def read_many(self, shas: list[str]) -> Iterator[tuple[str, bytes]]:
        if not shas:
            return
        proc = self.repo.popen("cat-file", "--batch", stdin=subprocess.PIPE)
        assert proc.stdin is not None and proc.stdout is not None

        def feed() -> None:
            try:
                for sha in shas:
                    proc.stdin.write(sha.encode() + b"\n")  # type: ignore[union-attr]
                proc.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = proc.stdout
        try:
            for _ in shas:
                header = out.readline()
                if not header:
                    break
                parts = header.split()
                if len(parts) != 3:
                    continue  # "<sha> missing"
                size = int(parts[2])
                data = out.read(size)
                out.read(1)
                yield parts[0].decode(), data
        finally:
            out.close()
            proc.kill()
            proc.wait()
            writer.join(timeout=5)


def present_objects(repo: Repo) -> dict[str, tuple[str, int]]:
    """Every object in the clone's object store: sha -> (type, size); no lazy fetch."""
    out = repo.git(
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
    )
    objects: dict[str, tuple[str, int]] = {}
    for line in out.decode().splitlines():
        sha, kind, size = line.split()
        objects[sha] = (kind, int(size))
    return objects
