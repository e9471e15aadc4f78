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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from credence.portfolios import detectors, errors, hygiene, relevance, signals
from credence.portfolios.gitsafe import BlobReader, GitError, Limits, Repo, clone, present_objects
from credence.portfolios.history import DEFAULT_BOTS, authorship, read_commits
from credence.portfolios.manifests import manifest_kind, parse_manifest

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
) -> dict[str, object]:
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
        report["notes"].append("Could not tell whether the repository is a fork.")  # type: ignore[union-attr]
    return report


def analyze_clone(
    repo: Repo,
    commit: str,
    *,
    identities: Sequence[str] = (),
    topics: Sequence[tuple[str, str]] | None = None,
    limits: Limits,
    bots: Sequence[str] = DEFAULT_BOTS,
) -> dict[str, object]:
    notes: list[str] = []
    scanner = hygiene.AddedLineScanner(detectors.regex_detectors())
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
                added=scanner.add,
            )
        except GitError as exc:
            raise AnalysisError(errors.describe(exc)) from exc
        objects = objects_job.result()
        entries = tree_job.result()
    if truncated:
        notes.append(f"History cut at {limits.max_commits} commits.")
    people = authorship(commits, declared=identities, truncated=truncated, bots=bots)

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

    # -- secrets: the lines the history added, and whether they are still there ---------
    # A file version no commit's patch showed — added by a merge's conflict resolution, or by
    # commits beyond the history limit — is read whole from the pinned tree.
    shown = {sha for c in commits for sha, _path in c.blobs}
    unseen: dict[str, list[str]] = {}
    for e in files:
        size = size_of(e.sha)
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
    findings = scanner.findings()
    by_path = {e.path: e for e in files}
    recheck: dict[str, list[TreeEntry]] = {}
    for finding in findings:
        entry = by_path.get(finding.path)
        size = size_of(entry.sha) if entry else None
        if entry is not None and size is not None and size <= limits.max_notebook_bytes:
            recheck.setdefault(entry.sha, []).append(entry)

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
            or signals.ci_system(path) is not None
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
    empty_tests: list[str] = []
    ci_files: list[dict[str, object]] = []
    readme: dict[str, object] = {"present": False, "words": 0, "sections": [], "path": None}
    license_id: str | None = None
    license_file: str | None = None
    readme_text = ""
    manifests: list[dict[str, object]] = []
    pinned_lines: dict[str, dict[str, int]] = {}  # path -> line text -> first line number
    for sha, data in reader.read_many(sorted(set(wanted) | set(recheck))):
        for entry in recheck.get(sha, ()):
            numbers: dict[str, int] = {}
            for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
                numbers.setdefault(line.rstrip("\r"), number)
            pinned_lines[entry.path] = numbers
        for entry in wanted.get(sha, ()):
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
                else:
                    empty_tests.append(path)
            system = signals.ci_system(path)
            if system is not None:
                ci_files.append(
                    {"path": path, "system": system, "runs_tests": signals.ci_runs_tests(text)}
                )
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
                license_file = license_file or path
                license_id = signals.license_from_text(text)
                if license_id:
                    license_file = path
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
    license_mentioned = signals.license_from_readme(readme_text) if readme_text else None
    if license_id:
        license_status = "file"
    elif license_file:
        license_status = "file, licence not recognised"
    elif license_mentioned:
        license_status = "mentioned, no licence file"
    else:
        license_status = "none"

    secrets = []
    for finding in findings:
        numbers = pinned_lines.get(finding.path)
        still = numbers is not None and finding.text in numbers
        secrets.append(
            {
                "path": finding.path,
                "line": numbers[finding.text] if still and numbers else finding.line,
                "kind": finding.kind,
                "in_pinned_tree": still,
            }
        )
    secrets.sort(key=lambda s: (s["path"], s["line"], s["kind"]))

    # -- the whole history: large files ---------------------------------------------------
    in_tree = {e.sha for e in files}
    history_blobs: dict[str, str] = {}
    for c in commits:
        for sha, path in c.blobs:
            history_blobs.setdefault(sha, path)
    for entry in files:
        history_blobs.setdefault(entry.sha, entry.path)
    large_files = []
    for sha, path in history_blobs.items():
        size = size_of(sha)
        if size is None:
            unreadable.setdefault(path, "not in the clone (partial clone or size limit)")
            large_files.append({"path": path, "size": None, "in_pinned_tree": sha in in_tree})
            continue
        if size >= limits.large_file_bytes:
            large_files.append({"path": path, "size": size, "in_pinned_tree": sha in in_tree})
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
    first_all, last_all = people.first_commit_including_bots, people.last_commit_including_bots
    span_all = (last_all - first_all).total_seconds() / 3600 if first_all and last_all else None
    report: dict[str, object] = {
        "version": REPORT_VERSION,
        "commit": commit,
        "commits": people.commits,
        "commits_including_bots": people.commits_including_bots,
        "authors": [
            {
                "name": a.name,
                "email": a.email,
                "commits": a.commits,
                "lines_added": a.lines_added,
                "identities": [{"name": i.name, "email": i.email} for i in a.identities],
                "attributable": a.attributable,
                "merged": a.merged,
            }
            for a in people.authors
        ],
        "bots": [{"name": b.name, "email": b.email, "commits": b.commits} for b in people.bots],
        "unattributed": [{"name": i.name, "email": i.email} for i in people.unattributed],
        "active_days": people.active_days,
        "active_days_including_bots": people.active_days_including_bots,
        "first_commit": _iso(people.first_commit),
        "last_commit": _iso(people.last_commit),
        "first_commit_including_bots": _iso(first_all),
        "last_commit_including_bots": _iso(last_all),
        "history_hours": round(span, 2) if span is not None else None,
        "history_hours_including_bots": round(span_all, 2) if span_all is not None else None,
        "candidate_share": candidate_share,
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
            **{
                kind: sum(people.other_files[kind].values())
                for kind in (signals.DATA, signals.VENDORED)
            },
        },
        "non_code_files": {
            kind: [
                {"path": path, "lines_added": lines}
                for path, lines in sorted(people.other_files[kind].items())[:_MAX_LISTED]
            ]
            for kind in (signals.DATA, signals.NOTEBOOK, signals.VENDORED)
        },
        "web_upload_commits": people.web_upload_commits,
        "web_upload_commits_including_bots": people.web_upload_commits_including_bots,
        "is_fork": None,
        "fork": None,
        "tests": {"files": test_files, "functions": test_functions},
        "test_files_without_tests": sorted(empty_tests)[:_MAX_LISTED],
        "ci": ci,
        "ci_files": sorted(ci_files, key=lambda f: str(f["path"])),
        "ci_runs_tests": any(f["runs_tests"] for f in ci_files) if ci_files else None,
        "readme": readme,
        "license": license_id,
        "license_source": "file" if license_id else None,
        "license_file": license_file,
        "license_mentioned": license_mentioned,
        "license_status": license_status,
        "manifests": sorted(manifests, key=lambda m: str(m["path"])),
        "environment": environment,
        "notebooks": notebooks,
        "large_files": large_files,
        "secrets": secrets,
        "secret_scan": {
            "lines_scanned": scanner.lines_added,
            "lines_analysed": scanner.lines_analysed,
        },
        "frameworks": collector.frameworks(),
        "relevance": relevance.relevance(collector.found, topics) if topics is not None else None,
        "symlinks": sorted(symlinks),
        "submodules": sorted(submodules),
        "unreadable": [{"path": p, "reason": r} for p, r in sorted(unreadable.items())],
        "files": len(files),
        "notes": notes,
    }
    return _with_largest_commit_message(repo, report)


_MAX_LISTED = 100


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


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


def _with_largest_commit_message(repo: Repo, report: dict[str, object]) -> dict[str, object]:
    """Adds ``largest_commit_message``: the largest commit's whole message (at most 2,000
    characters), which the examiner reads beside its id (issue 15, item 7); ``None`` when
    there is no largest commit or git cannot read it."""
    sha = report.get("largest_commit")
    message = None
    if isinstance(sha, str) and sha:
        try:
            raw = repo.git("log", "-1", "--format=%B", sha, "--")
        except GitError:
            raw = None
        if raw is not None:
            text = raw.decode("utf-8", "replace").strip()
            message = text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "…"
    report["largest_commit_message"] = message
    return report
