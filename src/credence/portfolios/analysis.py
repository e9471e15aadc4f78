"""The evidence report on a repository at one commit (docs/portfolio-report.md).

``analyze(source, …)`` clones ``source`` bare and safely (``gitsafe``), walks the history with
one ``git log`` process (``history``), reads the pinned tree and the blobs it needs through one
``git cat-file --batch`` process, and returns the report as plain JSON (typed by
``report.EvidenceReport``). The same
function serves the background task and ``credence portfolio analyze``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from credence.portfolios import detectors, errors, hygiene, relevance, signals
from credence.portfolios.gitsafe import BlobReader, GitError, Limits, Repo, clone, present_objects
from credence.portfolios.history import (
    DEFAULT_BOTS,
    AddedLines,
    Author,
    Authorship,
    Commit,
    authorship,
    read_commits,
)
from credence.portfolios.manifests import manifest_kind, parse_manifest
from credence.portfolios.report import (
    AuthorJSON,
    CandidateShare,
    CIFile,
    EvidenceReport,
    FileLines,
    LargeFile,
    ManifestJSON,
    Notebooks,
    OwnCommits,
    Readme,
    Relevance,
    Secret,
    UpstreamError,
)

# 2: secrets from added lines (keyword and Basic-Auth rules), bots by pattern, login merges,
# code-only largest-commit share, licence from a licence file only, CI files, figures with bots.
REPORT_VERSION = 2
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
    repo: Repo,
    commit: str,
    upstream: str,
    *,
    identities: Sequence[str],
    limits: Limits,
    bots: Sequence[str] = DEFAULT_BOTS,
) -> OwnCommits | UpstreamError:
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
    people = authorship([c for c in commits if c.sha in own], declared=identities, bots=bots)
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
    bots: Sequence[str] = DEFAULT_BOTS,
) -> EvidenceReport:
    """The report for ``source`` (URL or local path) at ``commit`` (default: HEAD).

    ``topics`` are the certification's ``(code, name)`` pairs; without them ``relevance`` is
    ``None``. ``upstream`` (or, for a GitHub fork, its parent) is the repository this one was
    forked or copied from: the report then counts the commits after the branch point.
    ``bots`` are the patterns that make an identity a bot (default: ``history.DEFAULT_BOTS``;
    a submission's analysis adds those of the program's ``[portfolio] bots``).
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
        report = analyze_clone(
            repo, pinned, identities=identities, topics=topics, limits=limits, bots=bots
        )
        upstream = upstream or fork.parent_url
        report["fork"] = (
            own_commits(repo, pinned, upstream, identities=identities, limits=limits, bots=bots)
            if upstream
            else None
        )
    report["is_fork"] = fork.is_fork
    if fork.is_fork is None:
        report["notes"].append("Could not tell whether the repository is a fork.")
    return report


def analyze_clone(
    repo: Repo,
    commit: str,
    *,
    identities: Sequence[str] = (),
    topics: Sequence[tuple[str, str]] | None = None,
    limits: Limits,
    bots: Sequence[str] = DEFAULT_BOTS,
) -> EvidenceReport:
    """The report on a clone at ``commit``; ``analyze`` then fills in ``is_fork`` and ``fork``.

    Steps: the history (with its added lines handed to the secret scan) and the pinned tree;
    the tree's files that no commit's patch showed, scanned whole; the files the engineering
    signals need, read once; then the secrets, the large files and the report itself.
    """
    scanner = hygiene.AddedLineScanner(detectors.regex_detectors())
    walk = _walk(repo, commit, limits=limits, added=scanner.add)
    notes = [f"History cut at {limits.max_commits} commits."] if walk.truncated else []
    people = authorship(walk.commits, declared=identities, truncated=walk.truncated, bots=bots)
    tree = _pinned_tree(walk.entries, limits=limits, notes=notes)
    _scan_unseen_files(repo, scanner, walk, tree.files, limits=limits)
    findings = scanner.findings()
    evidence = _TreeEvidence(notes=notes)
    wanted = _files_to_read(walk, tree.files, limits=limits, evidence=evidence)
    recheck = _files_to_recheck(walk, findings, tree.files, limits=limits)
    for sha, data in BlobReader(repo).read_many(sorted(set(wanted) | set(recheck))):
        for entry in recheck.get(sha, ()):
            evidence.pinned_lines[entry.path] = _first_line_numbers(data)
        for entry in wanted.get(sha, ()):
            evidence.read(entry.path, data)
    coverage = relevance.relevance(evidence.collector.found, topics) if topics is not None else None
    return _report(
        commit,
        people,
        tree,
        evidence,
        secrets=_secrets(findings, evidence.pinned_lines),
        large_files=_large_files(walk, tree.files, limits=limits, unreadable=evidence.unreadable),
        scanner=scanner,
        coverage=coverage,
        largest_commit_message=_commit_message(repo, people.largest_commit),
    )


_MAX_LISTED = 100
_NOT_IN_CLONE = "not in the clone (partial clone or size limit)"


@dataclass(frozen=True)
class _Walk:
    """The history and the pinned tree, each from its own git process."""

    commits: list[Commit]
    truncated: bool
    objects: dict[str, tuple[str, int]]  # every object in the clone: sha -> (type, size)
    entries: list[TreeEntry]

    def size(self, sha: str) -> int | None:
        """The blob's size; ``None`` when the clone lacks it."""
        found = self.objects.get(sha)
        return found[1] if found else None


def _walk(repo: Repo, commit: str, *, limits: Limits, added: AddedLines) -> _Walk:
    # The object list and the pinned tree come from their own git processes while the history
    # streams in (the object list is needed first only by a partial clone's second log).
    with ThreadPoolExecutor(max_workers=2) as pool:
        objects_job = pool.submit(present_objects, repo)
        tree_job = pool.submit(list_tree, repo, commit)
        try:
            commits, truncated = read_commits(
                repo,
                commit,
                max_commits=limits.max_commits,
                present=_Later(objects_job),
                added=added,
            )
        except GitError as exc:
            raise AnalysisError(errors.describe(exc)) from exc
        return _Walk(commits, truncated, objects_job.result(), tree_job.result())


@dataclass(frozen=True)
class _PinnedTree:
    entries: list[TreeEntry]  # every entry: CI systems are named by any path
    files: list[TreeEntry]  # regular files, at most ``Limits.max_files``: the files read
    symlinks: list[str]
    submodules: list[str]


def _pinned_tree(entries: list[TreeEntry], *, limits: Limits, notes: list[str]) -> _PinnedTree:
    files = [e for e in entries if e.kind == "blob" and e.mode in ("100644", "100755")]
    if len(files) > limits.max_files:
        notes.append(
            f"The tree has {len(files)} files; only the first {limits.max_files} were read."
        )
        files = files[: limits.max_files]
    return _PinnedTree(
        entries=entries,
        files=files,
        symlinks=[e.path for e in entries if e.mode == "120000"],
        submodules=[e.path for e in entries if e.mode == "160000"],
    )


def _scan_unseen_files(
    repo: Repo,
    scanner: hygiene.AddedLineScanner,
    walk: _Walk,
    files: list[TreeEntry],
    *,
    limits: Limits,
) -> None:
    """A file version no commit's patch showed — added by a merge's conflict resolution, or by
    commits beyond the history limit — is scanned whole from the pinned tree."""
    shown = {sha for c in walk.commits for sha, _path in c.blobs}
    unseen: dict[str, list[str]] = {}
    for e in files:
        size = walk.size(e.sha)
        if (
            e.sha not in shown
            and hygiene.scannable(e.path)
            and size is not None
            and size <= limits.max_read_bytes
        ):
            unseen.setdefault(e.sha, []).append(e.path)
    for sha, data in BlobReader(repo).read_many(list(unseen)):
        if not hygiene.looks_binary(data):
            lines = [line.rstrip("\r") for line in data.decode("utf-8", "replace").split("\n")]
            for path in unseen[sha]:
                scanner.add(path, 1, lines)


def _files_to_recheck(
    walk: _Walk,
    findings: list[hygiene.Finding],
    files: list[TreeEntry],
    *,
    limits: Limits,
) -> dict[str, list[TreeEntry]]:
    """The pinned versions of the files secrets were found in, to tell whether each secret's
    line is still there: blob sha -> entries."""
    by_path = {e.path: e for e in files}
    recheck: dict[str, list[TreeEntry]] = {}
    for finding in findings:
        entry = by_path.get(finding.path)
        size = walk.size(entry.sha) if entry else None
        if entry is not None and size is not None and size <= limits.max_notebook_bytes:
            recheck.setdefault(entry.sha, []).append(entry)
    return recheck


def _needed_for_signals(path: str) -> bool:
    """Whether the engineering signals read this file of the pinned tree."""
    return (
        signals.is_readme(path)
        or signals.is_license_file(path)
        or manifest_kind(path) is not None
        or signals.is_test_file(path)
        or signals.ci_system(path) is not None
        or path.casefold().endswith((".py", ".ipynb"))
    )


def _files_to_read(
    walk: _Walk,
    files: list[TreeEntry],
    *,
    limits: Limits,
    evidence: _TreeEvidence,
) -> dict[str, list[TreeEntry]]:
    """The files the engineering signals need and may read (blob sha -> entries); those
    missing from the clone or too large go to ``evidence`` as not read."""
    wanted: dict[str, list[TreeEntry]] = {}
    for entry in files:
        if not _needed_for_signals(entry.path):
            continue
        size = walk.size(entry.sha)
        notebook = entry.path.casefold().endswith(".ipynb")
        cap = limits.max_notebook_bytes if notebook else limits.max_read_bytes
        if size is None or size > cap:
            evidence.not_read(entry.path, size, cap)
        else:
            wanted.setdefault(entry.sha, []).append(entry)
    return wanted


def _first_line_numbers(data: bytes) -> dict[str, int]:
    """A file's lines: line text -> its first line number."""
    numbers: dict[str, int] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
        numbers.setdefault(line.rstrip("\r"), number)
    return numbers


def _no_notebooks() -> Notebooks:
    return {"count": 0, "with_outputs": 0, "code_cells": 0, "unreadable": 0}


def _no_readme() -> Readme:
    return {"present": False, "words": 0, "sections": [], "path": None}


@dataclass
class _TreeEvidence:
    """What the pinned tree's files show (tests, CI, README, licence, manifests, notebooks,
    frameworks), gathered file by file; and what could not be read, and why."""

    notes: list[str]
    unreadable: dict[str, str] = field(default_factory=dict)  # path -> reason
    collector: relevance.Collector = field(default_factory=relevance.Collector)
    notebooks: Notebooks = field(default_factory=_no_notebooks)
    test_files: int = 0
    test_functions: int = 0
    empty_tests: list[str] = field(default_factory=list)
    ci_files: list[CIFile] = field(default_factory=list)
    readme: Readme = field(default_factory=_no_readme)
    readme_text: str = ""
    license_id: str | None = None
    license_file: str | None = None
    manifests: list[ManifestJSON] = field(default_factory=list)
    # path -> line text -> first line number, for the files secrets were found in
    pinned_lines: dict[str, dict[str, int]] = field(default_factory=dict)

    def not_read(self, path: str, size: int | None, cap: int) -> None:
        notebook = path.casefold().endswith(".ipynb")
        if notebook:
            self.notebooks["count"] += 1
            self.notebooks["unreadable"] += 1
        if size is None:
            self.unreadable[path] = _NOT_IN_CLONE
        elif notebook or signals.is_test_file(path):
            self.notes.append(f"{path} is larger than {cap} bytes and was not read.")

    def read(self, path: str, data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        lower = path.casefold()
        if lower.endswith(".ipynb"):
            self._notebook(path, data)
            return
        if signals.is_test_file(path):
            self._test_file(path, text)
        system = signals.ci_system(path)
        if system is not None:
            self.ci_files.append(
                {"path": path, "system": system, "runs_tests": signals.ci_runs_tests(text)}
            )
        if lower.endswith(".py"):
            self.collector.source(path, text)
        if signals.is_readme(path) and not self.readme["present"]:
            self.readme_text = text
            self.readme = {
                "present": True,
                "path": path,
                "words": signals.word_count(text),
                "sections": signals.readme_sections(text),
            }
        if signals.is_license_file(path) and self.license_id is None:
            self._license_file(path, text)
        if manifest_kind(path) is not None:
            self._manifest(path, text)

    def _notebook(self, path: str, data: bytes) -> None:
        nb = signals.read_notebook(data)
        self.notebooks["count"] += 1
        self.notebooks["code_cells"] += nb.code_cells
        self.notebooks["with_outputs"] += int(nb.with_outputs)
        self.notebooks["unreadable"] += int(not nb.readable)
        for cell, source in nb.code:
            self.collector.source(path, source, line_offset=cell)

    def _test_file(self, path: str, text: str) -> None:
        n = signals.count_tests(path, text)
        if n:
            self.test_files += 1
            self.test_functions += n
        else:
            self.empty_tests.append(path)

    def _license_file(self, path: str, text: str) -> None:
        # The first licence file is named even when its licence is not recognised; one whose
        # licence is recognised takes its place.
        self.license_file = self.license_file or path
        self.license_id = signals.license_from_text(text)
        if self.license_id:
            self.license_file = path

    def _manifest(self, path: str, text: str) -> None:
        manifest = parse_manifest(path, text)
        for name, _pinned, line in manifest.dependencies:
            line_text = text.splitlines()[line - 1] if 0 < line <= text.count("\n") + 1 else name
            self.collector.dependency(path, name, line, line_text)
        entry: ManifestJSON = {
            "path": path,
            "kind": manifest.kind,
            "pinned": manifest.pinned,
            "dependencies": len(manifest.dependencies),
            "unpinned": sorted(n for n, p, _ in manifest.dependencies if not p),
        }
        if manifest.error:
            entry["error"] = manifest.error
        self.manifests.append(entry)

    @property
    def license_mentioned(self) -> str | None:
        return signals.license_from_readme(self.readme_text) if self.readme_text else None

    @property
    def license_status(self) -> str:
        if self.license_id:
            return "file"
        if self.license_file:
            return "file, licence not recognised"
        if self.license_mentioned:
            return "mentioned, no licence file"
        return "none"


def _secrets(
    findings: list[hygiene.Finding], pinned_lines: dict[str, dict[str, int]]
) -> list[Secret]:
    """Each finding, with its line in the pinned tree when that line is still there."""
    secrets: list[Secret] = []
    for finding in findings:
        numbers = pinned_lines.get(finding.path)
        still = numbers is not None and finding.text in numbers
        secrets.append(
            {
                "path": finding.path,
                "line": numbers[finding.text] if numbers is not None and still else finding.line,
                "kind": finding.kind,
                "in_pinned_tree": still,
            }
        )
    secrets.sort(key=lambda s: (s["path"], s["line"], s["kind"]))
    return secrets


def _large_files(
    walk: _Walk, files: list[TreeEntry], *, limits: Limits, unreadable: dict[str, str]
) -> list[LargeFile]:
    """Large files over the whole history, and those the clone lacks (added to
    ``unreadable``)."""
    in_tree = {e.sha for e in files}
    history_blobs: dict[str, str] = {}
    for c in walk.commits:
        for sha, path in c.blobs:
            history_blobs.setdefault(sha, path)
    for entry in files:
        history_blobs.setdefault(entry.sha, entry.path)
    large_files: list[LargeFile] = []
    for sha, path in history_blobs.items():
        size = walk.size(sha)
        if size is None:
            unreadable.setdefault(path, _NOT_IN_CLONE)
        if size is None or size >= limits.large_file_bytes:
            large_files.append({"path": path, "size": size, "in_pinned_tree": sha in in_tree})
    large_files.sort(key=lambda f: f["path"])
    return large_files


def _report(
    commit: str,
    people: Authorship,
    tree: _PinnedTree,
    evidence: _TreeEvidence,
    *,
    secrets: list[Secret],
    large_files: list[LargeFile],
    scanner: hygiene.AddedLineScanner,
    coverage: Relevance | None,
    largest_commit_message: str | None,
) -> EvidenceReport:
    first_all, last_all = people.first_commit_including_bots, people.last_commit_including_bots
    ci_files = evidence.ci_files
    return {
        "version": REPORT_VERSION,
        "commit": commit,
        "commits": people.commits,
        "commits_including_bots": people.commits_including_bots,
        "authors": [_author(a) for a in people.authors],
        "bots": [{"name": b.name, "email": b.email, "commits": b.commits} for b in people.bots],
        "unattributed": [{"name": i.name, "email": i.email} for i in people.unattributed],
        "active_days": people.active_days,
        "active_days_including_bots": people.active_days_including_bots,
        "first_commit": _iso(people.first_commit),
        "last_commit": _iso(people.last_commit),
        "first_commit_including_bots": _iso(first_all),
        "last_commit_including_bots": _iso(last_all),
        "history_hours": _hours(people.first_commit, people.last_commit),
        "history_hours_including_bots": _hours(first_all, last_all),
        "candidate_share": _candidate_share(people),
        "candidate_authored": (
            None if people.candidate_commits is None else people.candidate_commits > 0
        ),
        "largest_commit_share": _round(people.largest_commit_share),
        "largest_commit": people.largest_commit,
        "largest_commit_share_all_files": _round(people.largest_commit_share_all_files),
        "largest_commit_all_files": people.largest_commit_all_files,
        "lines_added": {
            "all": people.lines_added,
            "code": people.code_lines,
            "data": sum(people.other_files[signals.DATA].values()),
            "vendored": sum(people.other_files[signals.VENDORED].values()),
        },
        "non_code_files": {
            "data": _listed_files(people.other_files[signals.DATA]),
            "notebook": _listed_files(people.other_files[signals.NOTEBOOK]),
            "vendored": _listed_files(people.other_files[signals.VENDORED]),
        },
        "web_upload_commits": people.web_upload_commits,
        "web_upload_commits_including_bots": people.web_upload_commits_including_bots,
        "is_fork": None,
        "fork": None,
        "tests": {"files": evidence.test_files, "functions": evidence.test_functions},
        "test_files_without_tests": sorted(evidence.empty_tests)[:_MAX_LISTED],
        "ci": sorted({name for e in tree.entries if (name := signals.ci_system(e.path))}),
        "ci_files": sorted(ci_files, key=lambda f: f["path"]),
        "ci_runs_tests": any(f["runs_tests"] for f in ci_files) if ci_files else None,
        "readme": evidence.readme,
        "license": evidence.license_id,
        "license_source": "file" if evidence.license_id else None,
        "license_file": evidence.license_file,
        "license_mentioned": evidence.license_mentioned,
        "license_status": evidence.license_status,
        "manifests": sorted(evidence.manifests, key=lambda m: m["path"]),
        "environment": sorted(e.path for e in tree.files if signals.is_environment_file(e.path)),
        "notebooks": evidence.notebooks,
        "large_files": large_files,
        "secrets": secrets,
        "secret_scan": {
            "lines_scanned": scanner.lines_added,
            "lines_analysed": scanner.lines_analysed,
        },
        "frameworks": evidence.collector.frameworks(),
        "relevance": coverage,
        "symlinks": sorted(tree.symlinks),
        "submodules": sorted(tree.submodules),
        "unreadable": [{"path": p, "reason": r} for p, r in sorted(evidence.unreadable.items())],
        "files": len(tree.files),
        "notes": evidence.notes,
        "largest_commit_message": largest_commit_message,
    }


def _author(author: Author) -> AuthorJSON:
    return {
        "name": author.name,
        "email": author.email,
        "commits": author.commits,
        "lines_added": author.lines_added,
        "identities": [{"name": i.name, "email": i.email} for i in author.identities],
        "attributable": author.attributable,
        "merged": author.merged,
    }


def _candidate_share(people: Authorship) -> CandidateShare | None:
    if people.candidate_commits is None:
        return None
    return {
        "commits": _share(people.candidate_commits, people.commits),
        "lines": _share(people.candidate_lines or 0, people.lines_added),
    }


def _listed_files(lines_by_path: dict[str, int]) -> list[FileLines]:
    return [
        {"path": path, "lines_added": lines}
        for path, lines in sorted(lines_by_path.items())[:_MAX_LISTED]
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _hours(first: datetime | None, last: datetime | None) -> float | None:
    return round((last - first).total_seconds() / 3600, 2) if first and last else None


def _round(share: float | None) -> float | None:
    return round(share, 4) if share is not None else None


class _Later:
    """A container whose contents a background job computes; asked only when needed."""

    def __init__(self, job: Future[dict[str, tuple[str, int]]]) -> None:
        self.job = job

    def __contains__(self, sha: object) -> bool:
        return sha in self.job.result()


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


_MAX_MESSAGE = 2000


def _commit_message(repo: Repo, sha: str | None) -> str | None:
    """The largest commit's whole message (at most 2,000 characters), which the examiner reads
    beside its id (issue 15, item 7); ``None`` when there is no largest commit or git cannot
    read it."""
    if not sha:
        return None
    try:
        raw = repo.git("log", "-1", "--format=%B", sha, "--")
    except GitError:
        return None
    text = raw.decode("utf-8", "replace").strip()
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "…"
