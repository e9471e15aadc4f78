"""The evidence report on a repository at one commit (docs/portfolio-report.md).

``analyze(source, …)`` clones ``source`` bare and safely (``gitsafe``), walks the history with
one ``git log`` process (``history``), reads the pinned tree and the blobs it needs through one
``git cat-file --batch`` process, and returns the report as a plain JSON-ready dict. The same
function serves the background task and ``credence portfolio analyze``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from credence.portfolios import detectors, errors, hygiene, relevance, signals
from credence.portfolios.gitsafe import BlobReader, GitError, Limits, Repo, clone, present_objects
from credence.portfolios.history import authorship, read_commits
from credence.portfolios.manifests import manifest_kind, parse_manifest

REPORT_VERSION = 1
_COMMITISH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")


@dataclass(frozen=True)
class ForkInfo:
    is_fork: bool | None  # None: could not tell
    parent_url: str | None = None  # the upstream's clone URL when the host names it


ForkLookup = Callable[[str], ForkInfo]


class AnalysisError(Exception):
    """The repository could not be analysed; the message says why, for the candidate, in the
    product's words (``portfolios.errors``), with git's own message where it adds something."""


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    kind: str
    sha: str
    path: str


def github_fork_lookup(url: str) -> ForkInfo:
    """Whether a github.com repository is a fork, and of what, from the public API."""
    parts = urlsplit(url)
    if parts.hostname != "github.com":
        return ForkInfo(None)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return ForkInfo(None)
    owner, name = segments[0], segments[1].removesuffix(".git")
    request = urllib.request.Request(
        f"https://api.github.com/repos/{owner}/{name}",
        headers={"Accept": "application/vnd.github+json", "User-Agent": "credence"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            data = json.loads(response.read(1_000_000))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError):
        return ForkInfo(None)
    if not isinstance(data, dict) or not isinstance(data.get("fork"), bool):
        return ForkInfo(None)
    parent = data.get("parent")
    clone_url = parent.get("clone_url") if isinstance(parent, dict) else None
    return ForkInfo(data["fork"], clone_url if isinstance(clone_url, str) else None)


def own_commits(
    repo: Repo, commit: str, upstream: str, *, identities: Sequence[str], limits: Limits
) -> dict[str, object]:
    """For a fork or a copy: the commits after the branch point (not in ``upstream``), and
    whether the declared identities authored any of them."""
    try:
        # Commits and trees only: the upstream is configured as a second promisor remote for
        # this one command, so its blobs (which the question does not need) stay on the server.
        repo.git(
            "-c",
            f"remote.upstream.url={upstream}",
            "-c",
            "remote.upstream.promisor=true",
            "-c",
            "remote.upstream.partialclonefilter=blob:none",
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-recurse-submodules",
            "--filter=blob:none",
            "upstream",
            "+refs/heads/*:refs/upstream/*",
            timeout=limits.clone_seconds,
        )
        out = repo.git("rev-list", commit, "--not", "--glob=refs/upstream/*")
    except GitError as exc:
        return {"upstream": upstream, "error": errors.describe(exc)}
    own = set(out.decode().split())
    commits, _ = read_commits(
        repo, commit, max_commits=limits.max_commits, present=present_objects(repo)
    )
    people = authorship([c for c in commits if c.sha in own], declared=identities)
    return {
        "upstream": upstream,
        "own_commits": people.commits,
        "own_lines_added": people.lines_added,
        "candidate_own_commits": people.candidate_commits,
    }


def clone_source(source: str, *, limits: Limits) -> Repo:
    """A local path is cloned like a URL (``file://``), so its config and hooks stay behind."""
    path = Path(source)
    if "://" not in source and path.exists():
        local = Limits(**{**limits.__dict__, "protocols": (*limits.protocols, "file")})
        return clone(path.resolve().as_uri(), limits=local)
    if ":" not in source:  # neither a URL nor git's host:path: a path that is not there
        raise AnalysisError(errors.no_such_path(source))
    return clone(source, limits=limits)


def resolve_commit(repo: Repo, commitish: str | None) -> str:
    wanted = commitish or "HEAD"
    if not _COMMITISH.match(wanted) or ".." in wanted:
        raise AnalysisError(errors.not_a_ref(wanted))
    try:
        return repo.git("rev-parse", "--verify", "--quiet", f"{wanted}^{{commit}}").decode().strip()
    except GitError:
        if commitish is None:
            raise AnalysisError(errors.empty()) from None
        raise AnalysisError(errors.commit_not_found(wanted)) from None


def list_tree(repo: Repo, commit: str) -> list[TreeEntry]:
    out = repo.git("ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        entries.append(TreeEntry(mode, kind, sha, path.decode("utf-8", "replace")))
    return entries


def analyze(
    source: str,
    *,
    commit: str | None = None,
    identities: Sequence[str] = (),
    topics: Sequence[tuple[str, str]] | None = None,
    limits: Limits | None = None,
    upstream: str | None = None,
    fork_lookup: ForkLookup = github_fork_lookup,
) -> dict[str, object]:
    """The report for ``source`` (URL or local path) at ``commit`` (default: HEAD).

    ``topics`` are the certification's ``(code, name)`` pairs; without them ``relevance`` is
    ``None``. ``upstream`` (or, for a GitHub fork, its parent) is the repository this one was
    forked or copied from: the report then counts the commits after the branch point.
    Raises ``AnalysisError`` with a sentence when the repository cannot be read at all;
    everything else that goes wrong ends up in ``notes``.
    """
    limits = limits or Limits()
    try:
        repo = clone_source(source, limits=limits)
    except GitError as exc:
        raise AnalysisError(errors.describe(exc)) from exc
    fork = fork_lookup(source) if "://" in source else ForkInfo(None)
    with repo:
        pinned = resolve_commit(repo, commit)
        report = analyze_clone(repo, pinned, identities=identities, topics=topics, limits=limits)
        upstream = upstream or fork.parent_url
        report["fork"] = (
            own_commits(repo, pinned, upstream, identities=identities, limits=limits)
            if upstream
            else None
        )
    report["is_fork"] = fork.is_fork
    if fork.is_fork is None:
        report["notes"].append("Could not tell whether the repository is a fork.")  # type: ignore[union-attr]
    return report


def analyze_clone(
    repo: Repo,
    commit: str,
    *,
    identities: Sequence[str] = (),
    topics: Sequence[tuple[str, str]] | None = None,
    limits: Limits,
) -> dict[str, object]:
    notes: list[str] = []
    objects = present_objects(repo)
    try:
        commits, truncated = read_commits(
            repo, commit, max_commits=limits.max_commits, present=objects
        )
    except GitError as exc:
        raise AnalysisError(errors.describe(exc)) from exc
    if truncated:
        notes.append(f"History cut at {limits.max_commits} commits.")
    people = authorship(commits, declared=identities, truncated=truncated)
    entries = list_tree(repo, commit)

    files = [e for e in entries if e.kind == "blob" and e.mode in ("100644", "100755")]
    symlinks = [e.path for e in entries if e.mode == "120000"]
    submodules = [e.path for e in entries if e.mode == "160000"]
    if len(files) > limits.max_files:
        notes.append(
            f"The tree has {len(files)} files; only the first {limits.max_files} were read."
        )
        files = files[: limits.max_files]
    unreadable: dict[str, str] = {}

    def size_of(sha: str) -> int | None:
        found = objects.get(sha)
        return found[1] if found else None

    # -- the pinned tree -----------------------------------------------------------------
    wanted: dict[str, list[TreeEntry]] = {}
    notebooks = {"count": 0, "with_outputs": 0, "code_cells": 0, "unreadable": 0}
    for entry in files:
        path = entry.path
        lower = path.casefold()
        needed = (
            signals.is_readme(path)
            or signals.is_license_file(path)
            or manifest_kind(path) is not None
            or signals.is_test_file(path)
            or lower.endswith((".py", ".ipynb"))
        )
        if not needed:
            continue
        size = size_of(entry.sha)
        cap = limits.max_notebook_bytes if lower.endswith(".ipynb") else limits.max_read_bytes
        if size is None or size > cap:
            if lower.endswith(".ipynb"):
                notebooks["count"] += 1
                notebooks["unreadable"] += 1
            if size is None:
                unreadable[path] = "not in the clone (partial clone or size limit)"
            elif lower.endswith(".ipynb") or signals.is_test_file(path):
                notes.append(f"{path} is larger than {cap} bytes and was not read.")
        else:
            wanted.setdefault(entry.sha, []).append(entry)

    reader = BlobReader(repo)
    collector = relevance.Collector()
    test_files = test_functions = 0
    readme: dict[str, object] = {"present": False, "words": 0, "sections": [], "path": None}
    license_id: str | None = None
    license_source: str | None = None
    readme_text = ""
    manifests: list[dict[str, object]] = []
    for sha, data in reader.read_many(list(wanted)):
        for entry in wanted[sha]:
            path = entry.path
            text = data.decode("utf-8", "replace")
            lower = path.casefold()
            if lower.endswith(".ipynb"):
                nb = signals.read_notebook(data)
                notebooks["count"] += 1
                notebooks["code_cells"] += nb.code_cells
                notebooks["with_outputs"] += int(nb.with_outputs)
                notebooks["unreadable"] += int(not nb.readable)
                for cell, source in nb.code:
                    collector.source(path, source, line_offset=cell)
                continue
            if signals.is_test_file(path):
                n = signals.count_tests(path, text)
                if n:
                    test_files += 1
                    test_functions += n
            if lower.endswith(".py"):
                collector.source(path, text)
            if signals.is_readme(path) and not readme["present"]:
                readme_text = text
                readme = {
                    "present": True,
                    "path": path,
                    "words": signals.word_count(text),
                    "sections": signals.readme_sections(text),
                }
            if signals.is_license_file(path) and license_id is None:
                license_id = signals.license_from_text(text)
                license_source = "file" if license_id else None
            kind = manifest_kind(path)
            if kind is not None:
                manifest = parse_manifest(path, text)
                for name, _pinned, line in manifest.dependencies:
                    line_text = (
                        text.splitlines()[line - 1] if 0 < line <= text.count("\n") + 1 else name
                    )
                    collector.dependency(path, name, line, line_text)
                manifests.append(
                    {
                        "path": path,
                        "kind": manifest.kind,
                        "pinned": manifest.pinned,
                        "dependencies": len(manifest.dependencies),
                        "unpinned": sorted(n for n, p, _ in manifest.dependencies if not p),
                        **({"error": manifest.error} if manifest.error else {}),
                    }
                )
    if license_id is None and readme_text:
        license_id = signals.license_from_readme(readme_text)
        license_source = "readme" if license_id else None

    # -- the whole history: large files and secrets --------------------------------------
    in_tree = {e.sha for e in files}
    history_blobs: dict[str, str] = {}
    for c in commits:
        for sha, path in c.blobs:
            history_blobs.setdefault(sha, path)
    for entry in files:
        history_blobs.setdefault(entry.sha, entry.path)
    large_files = []
    to_scan: list[str] = []
    for sha, path in history_blobs.items():
        size = size_of(sha)
        if size is None:
            unreadable.setdefault(path, "not in the clone (partial clone or size limit)")
            large_files.append({"path": path, "size": None, "in_pinned_tree": sha in in_tree})
            continue
        if size >= limits.large_file_bytes:
            large_files.append({"path": path, "size": size, "in_pinned_tree": sha in in_tree})
        cap = limits.max_notebook_bytes if path.endswith(".ipynb") else limits.max_read_bytes
        if size <= cap and hygiene.scannable(path):
            to_scan.append(sha)
    plugins = detectors.regex_detectors()
    seen: set[tuple[str, str, str]] = set()
    secrets = []
    for sha, data in reader.read_many(to_scan):
        if hygiene.looks_binary(data):
            continue
        path = history_blobs[sha]
        for finding in hygiene.scan_text(path, data.decode("utf-8", "replace"), plugins):
            key = (finding.path, finding.kind, finding.fingerprint)
            if key in seen:
                continue
            seen.add(key)
            secrets.append(
                {
                    "path": finding.path,
                    "line": finding.line,
                    "kind": finding.kind,
                    "in_pinned_tree": sha in in_tree,
                }
            )
    secrets.sort(key=lambda s: (s["path"], s["line"], s["kind"]))
    large_files.sort(key=lambda f: f["path"])

    ci = sorted({name for e in entries if (name := signals.ci_system(e.path))})
    environment = sorted(e.path for e in files if signals.is_environment_file(e.path))
    candidate_share = None
    if people.candidate_commits is not None:
        candidate_share = {
            "commits": _share(people.candidate_commits, people.commits),
            "lines": _share(people.candidate_lines or 0, people.lines_added),
        }
    span = people.span_hours
    return {
        "version": REPORT_VERSION,
        "commit": commit,
        "commits": people.commits,
        "authors": [
            {
                "name": a.name,
                "email": a.email,
                "commits": a.commits,
                "lines_added": a.lines_added,
                "identities": [{"name": i.name, "email": i.email} for i in a.identities],
                "attributable": a.attributable,
            }
            for a in people.authors
        ],
        "bots": [{"name": b.name, "email": b.email, "commits": b.commits} for b in people.bots],
        "unattributed": [{"name": i.name, "email": i.email} for i in people.unattributed],
        "active_days": people.active_days,
        "first_commit": people.first_commit.isoformat() if people.first_commit else None,
        "last_commit": people.last_commit.isoformat() if people.last_commit else None,
        "history_hours": round(span, 2) if span is not None else None,
        "candidate_share": candidate_share,
        "candidate_authored": (
            None if people.candidate_commits is None else people.candidate_commits > 0
        ),
        "largest_commit_share": (
            round(people.largest_commit_share, 4)
            if people.largest_commit_share is not None
            else None
        ),
        "largest_commit": people.largest_commit,
        "web_upload_commits": people.web_upload_commits,
        "is_fork": None,
        "fork": None,
        "tests": {"files": test_files, "functions": test_functions},
        "ci": ci,
        "readme": readme,
        "license": license_id,
        "license_source": license_source,
        "manifests": sorted(manifests, key=lambda m: str(m["path"])),
        "environment": environment,
        "notebooks": notebooks,
        "large_files": large_files,
        "secrets": secrets,
        "frameworks": collector.frameworks(),
        "relevance": relevance.relevance(collector.found, topics) if topics is not None else None,
        "symlinks": sorted(symlinks),
        "submodules": sorted(submodules),
        "unreadable": [{"path": p, "reason": r} for p, r in sorted(unreadable.items())],
        "files": len(files),
        "notes": notes,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
