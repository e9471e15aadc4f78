"""Authorship from one ``git log --numstat`` process, parsed in Python.

Identity rule (docs/portfolio-report.md):

1. *Bots* are set aside first: a name or e-mail containing ``[bot]``, or a known automation
   (dependabot, github-actions, pre-commit-ci, renovate, …). They count in no share.
2. Every other identity contributes keys: its e-mail (case-folded); the GitHub login of a
   no-reply address (``123+jdoe@users.noreply.github.com`` → ``jdoe``); and its name
   (case-folded, spaces collapsed) unless the name is a machine default (``ubuntu``, ``root``,
   ``jovyan``…). Identities that share a key are one person (union-find).
3. An identity whose name *and* e-mail are machine defaults (``ubuntu <ubuntu@ip-10-0-0-1>``)
   cannot be attributed: it is reported in ``unattributed`` and stays its own author, unless the
   candidate declares that e-mail.

Lines added are counted without notebooks (their JSON inflates counts; notebooks are counted by
code cells instead) and without binary files.
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from credence.portfolios.gitsafe import GitError, Repo

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%ad%x1f%P%x1f%ce"

BOT_NAMES = frozenset(
    {
        "dependabot",
        "dependabot-preview",
        "github-actions",
        "pre-commit-ci",
        "renovate",
        "renovate-bot",
        "snyk-bot",
        "greenkeeper",
        "allcontributors",
        "imgbot",
        "codecov",
        "semantic-release-bot",
        "mergify",
        "deepsource-autofix",
    }
)
GENERIC_NAMES = frozenset(
    {
        "",
        "ubuntu",
        "root",
        "user",
        "admin",
        "administrator",
        "ec2-user",
        "pi",
        "vagrant",
        "jovyan",
        "codespace",
        "vscode",
        "your name",
        "unknown",
        "debian",
        "centos",
        "azureuser",
        "colab",
    }
)
_MACHINE_DOMAIN = re.compile(
    r"(\.internal|\.local|\.localdomain|localhost|\(none\)|^ip-[\d-]+.*|\.compute\.amazonaws\.com)$"
)
_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$")


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass
class Commit:
    sha: str
    author: Identity
    timestamp: int
    day: str  # the author's local calendar day, YYYY-MM-DD
    parents: int
    committer_email: str
    lines_added: int = 0
    notebook_files: int = 0
    binary_files: int = 0
    # (blob sha, path) of every file version this commit introduced, from ``--raw``
    blobs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Author:
    name: str
    email: str
    identities: list[Identity] = field(default_factory=list)
    commits: int = 0
    lines_added: int = 0
    attributable: bool = True


@dataclass
class Authorship:
    commits: int
    authors: list[Author]
    bots: list[Author]
    unattributed: list[Identity]
    active_days: int
    first_commit: datetime | None
    last_commit: datetime | None
    candidate_commits: int | None
    candidate_lines: int | None
    largest_commit_share: float | None
    largest_commit: str | None
    lines_added: int
    truncated: bool
    web_upload_commits: int

    @property
    def span_hours(self) -> float | None:
        if self.first_commit is None or self.last_commit is None:
            return None
        return (self.last_commit - self.first_commit).total_seconds() / 3600


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable()).strip()


def github_login(email: str) -> str | None:
    match = _NOREPLY.match(email.casefold())
    return match.group("login") if match else None


def is_bot(identity: Identity) -> bool:
    name = identity.name.casefold()
    email = identity.email.casefold()
    if "[bot]" in name or "[bot]" in email:
        return True
    login = github_login(email)
    return name in BOT_NAMES or (login is not None and login in BOT_NAMES)


def is_generic(identity: Identity) -> bool:
    name = " ".join(identity.name.casefold().split())
    local, _, domain = identity.email.casefold().partition("@")
    generic_email = local in GENERIC_NAMES or not domain or bool(_MACHINE_DOMAIN.search(domain))
    return name in GENERIC_NAMES and generic_email


def _keys(identity: Identity) -> list[str]:
    email = identity.email.casefold()
    keys = [f"email:{email}"] if email else []
    if is_generic(identity):
        return keys or [f"name:{identity.name.casefold()}"]
    login = github_login(email)
    if login:
        keys.append(f"login:{login}")
    name = " ".join(identity.name.casefold().split())
    if name not in GENERIC_NAMES:
        keys.append(f"name:{name}")
    return keys


def unquote(path: str) -> str:
    """A path as git prints it with ``core.quotePath`` (C-quoted when unusual)."""
    if len(path) >= 2 and path[0] == path[-1] == '"':
        try:
            raw = codecs.escape_decode(path[1:-1].encode("latin-1", "backslashreplace"))[0]
            return raw.decode("utf-8", "replace")  # type: ignore[union-attr]
        except (ValueError, UnicodeError):
            return path[1:-1]
    return path


def parse_log(lines: Iterable[str]) -> Iterator[Commit]:
    """Commits from ``git log --format=_FORMAT --numstat`` output, line by line."""
    current: Commit | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith(_RECORD):
            if current is not None:
                yield current
            parts = line[1:].split(_FIELD)
            if len(parts) != 7:
                current = None  # a name with our separators in it: skip, never crash
                continue
            sha, name, email, stamp, local_date, parents, committer = parts
            try:
                timestamp = int(stamp)
            except ValueError:
                current = None
                continue
            current = Commit(
                sha=sha,
                author=Identity(_clean(name), _clean(email)),
                timestamp=timestamp,
                day=local_date[:10],
                parents=len(parents.split()),
                committer_email=committer.casefold(),
            )
        elif line.startswith(":") and current is not None:
            meta, _, path = line.partition("\t")
            fields = meta.split()
            # ":100644 100644 <old> <new> M": keep regular files that still exist
            if len(fields) == 5 and fields[4] != "D" and fields[1] in ("100644", "100755"):
                current.blobs.append((fields[3], unquote(path)))
        elif line and current is not None:
            added, _, rest = line.partition("\t")
            _deleted, _, path = rest.partition("\t")
            if added == "-":
                current.binary_files += 1
            elif path.rstrip('"').endswith(".ipynb"):
                current.notebook_files += 1
            elif added.isdigit():
                current.lines_added += int(added)
    if current is not None:
        yield current


def _log(
    repo: Repo, commit: str, *, max_commits: int, numstat: bool, exclude: Iterable[str] = ()
) -> tuple[list[Commit], bool]:
    proc = repo.popen(
        "log",
        "--no-color",
        "--no-renames",
        "--no-mailmap",
        *(["--numstat"] if numstat else []),
        "--raw",
        "--no-abbrev",
        "--date=format:%Y-%m-%d",
        f"--format={_FORMAT}",
        f"--max-count={max_commits + 1}",
        commit,
        "--",
        *([":/", *(f":(exclude,literal,top){path}" for path in exclude)] if exclude else []),
    )
    assert proc.stdout is not None
    commits = list(parse_log(line.decode("utf-8", "replace") for line in proc.stdout))
    proc.stdout.close()
    return commits, proc.wait() == 0


def read_commits(
    repo: Repo, commit: str, *, max_commits: int, present: Container[str]
) -> tuple[list[Commit], bool]:
    """All commits reachable from ``commit`` (at most ``max_commits``) and whether cut short.

    One ``git log --numstat --raw`` process. When the clone lacks blobs (a partial clone),
    that log cannot diff them and fails; then a ``--raw`` log (which reads no blobs) gives the
    commits and the missing files' paths, and a ``--numstat`` log that excludes those paths
    gives the line counts of everything else.
    """
    commits, ok = _log(repo, commit, max_commits=max_commits, numstat=True)
    if not ok:
        commits, ok = _log(repo, commit, max_commits=max_commits, numstat=False)
        if not ok:
            raise GitError("the history could not be read")
        missing = sorted({path for c in commits for sha, path in c.blobs if sha not in present})
        counted, ok = _log(repo, commit, max_commits=max_commits, numstat=True, exclude=missing)
        if not ok:
            raise GitError("the history could not be read")
        by_sha = {c.sha: c for c in counted}
        for c in commits:
            if c.sha in by_sha:
                other = by_sha[c.sha]
                c.lines_added = other.lines_added
                c.notebook_files = other.notebook_files
                c.binary_files = other.binary_files
    truncated = len(commits) > max_commits
    return commits[:max_commits], truncated


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _matches_declared(identity: Identity, declared: set[str]) -> bool:
    email = identity.email.casefold()
    return email in declared or (github_login(email) or "\0") in declared


def authorship(
    commits: list[Commit], *, declared: Iterable[str] = (), truncated: bool = False
) -> Authorship:
    declared_keys = {d.strip().casefold().lstrip("@") for d in declared if d.strip()}
    people: list[Commit] = []
    bot_commits: list[Commit] = []
    for c in commits:
        (bot_commits if is_bot(c.author) else people).append(c)

    uf = _UnionFind()
    identities = {c.author for c in people}
    for ident in identities:
        keys = _keys(ident)
        if is_generic(ident) and _matches_declared(ident, declared_keys):
            keys = [*keys, "declared:candidate"]
        first = keys[0]
        for key in keys[1:]:
            uf.union(first, key)
    group_of = {ident: uf.find(_keys(ident)[0]) for ident in identities}

    groups: dict[str, Author] = {}
    counts: dict[Identity, int] = defaultdict(int)
    for c in people:
        counts[c.author] += 1
    for c in people:
        root = group_of[c.author]
        author = groups.get(root)
        if author is None:
            author = groups[root] = Author(name="", email="")
        author.commits += 1
        author.lines_added += c.lines_added
        if c.author not in author.identities:
            author.identities.append(c.author)
    unattributed: list[Identity] = []
    for author in groups.values():
        author.identities.sort(key=lambda i: (-counts[i], i.email))
        # Present the group by its most used identity that is not a machine default.
        best = next((i for i in author.identities if not is_generic(i)), author.identities[0])
        author.name, author.email = best.name, best.email
        author.attributable = any(not is_generic(i) for i in author.identities) or any(
            _matches_declared(i, declared_keys) for i in author.identities
        )
        if not author.attributable:
            unattributed.extend(author.identities)

    bots: dict[Identity, Author] = {}
    for c in bot_commits:
        bot = bots.setdefault(c.author, Author(c.author.name, c.author.email, [c.author]))
        bot.commits += 1
        bot.lines_added += c.lines_added

    candidate_commits = candidate_lines = None
    if declared_keys:
        candidate_groups = {group_of[i] for i in identities if _matches_declared(i, declared_keys)}
        own = [c for c in people if group_of[c.author] in candidate_groups]
        candidate_commits = len(own)
        candidate_lines = sum(c.lines_added for c in own)

    total_lines = sum(c.lines_added for c in people)
    largest = max(people, key=lambda c: c.lines_added, default=None)
    stamps = [c.timestamp for c in people]
    return Authorship(
        commits=len(people),
        authors=sorted(groups.values(), key=lambda a: (-a.commits, a.email)),
        bots=sorted(bots.values(), key=lambda a: (-a.commits, a.email)),
        unattributed=sorted(unattributed, key=lambda i: i.email),
        active_days=len({c.day for c in people}),
        first_commit=_utc(min(stamps)) if stamps else None,
        last_commit=_utc(max(stamps)) if stamps else None,
        candidate_commits=candidate_commits,
        candidate_lines=candidate_lines,
        largest_commit_share=(largest.lines_added / total_lines)
        if largest and total_lines
        else None,
        largest_commit=largest.sha if largest and total_lines else None,
        lines_added=total_lines,
        truncated=truncated,
        web_upload_commits=sum(1 for c in people if c.committer_email == "noreply@github.com"),
    )


def _utc(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, tz=UTC)


__all__ = ["Author", "Authorship", "Commit", "Identity", "authorship", "read_commits"]
