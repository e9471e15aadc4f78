"""Authorship from one ``git log -p -U0 --raw`` process, parsed in Python.

Identity rule (docs/portfolio-report.md):

1. *Bots* are set aside first: an identity whose name, e-mail or GitHub login matches one of
   the bot patterns (``DEFAULT_BOTS``: ``[bot]``, dependabot, renovate, pre-commit-ci,
   github-actions, sourcery, ``bot@…``/``…-bot@…`` addresses …; the caller may add more). They
   count in no share; the figures that leave them out say so and have a twin that counts them.
2. Every other identity contributes keys: its e-mail (case-folded); the GitHub login of a
   no-reply address (``123+jdoe@users.noreply.github.com`` → ``jdoe``); its name (case-folded,
   spaces collapsed) unless the name is a machine default (``ubuntu``, ``root``, ``jovyan``…);
   and, when a no-reply address of the same history has that login, the login its name or its
   e-mail's local part spells (normalised: case-folded, without spaces, ``-``, ``_``, ``.``).
   Identities that share a key are one person (union-find); the report says which key joined
   them.
3. An identity whose name *and* e-mail are machine defaults (``ubuntu <ubuntu@ip-10-0-0-1>``)
   cannot be attributed: it is reported in ``unattributed`` and stays its own author, unless the
   candidate declares that e-mail.

Lines added are counted without notebooks (their JSON inflates counts; notebooks are counted by
code cells instead) and without binary files; ``code_lines`` also leaves out data and vendored
files (``signals.file_kind``).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from credence.portfolios import signals
from credence.portfolios.gitsafe import GitError, Repo
from credence.portfolios.report import MergeReason

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%ad%x1f%P%x1f%ce"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

# Bot patterns (case-insensitive, ``*`` matches anything), each matched against the name, the
# e-mail and the GitHub login. ``*bot@*`` as such would make Talbot and Abbot bots: an address
# is a bot's when its local part is ``bot`` or ends in ``-bot``, ``_bot``, ``.bot``, ``[bot]``.
DEFAULT_BOTS: tuple[str, ...] = (
    "*[bot]*",
    "dependabot*",
    "renovate*",
    "pre-commit-ci*",
    "github-actions*",
    "github action",
    "action@github.com",
    "sourcery*",
    "snyk-bot*",
    "greenkeeper*",
    "allcontributors*",
    "imgbot*",
    "codecov*",
    "semantic-release-bot*",
    "mergify*",
    "deepsource-autofix*",
    "bot@*",
    "*-bot@*",
    "*_bot@*",
    "*.bot@*",
    "*-bot",
    "* bot",
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
    lines_added: int = 0  # text lines, notebooks and binary files aside
    notebook_files: int = 0
    binary_files: int = 0
    code_lines: int = 0  # of lines_added, those in code files (signals.file_kind)
    # (path, kind, lines added) of each data or vendored file the commit changed
    other_files: list[tuple[str, str, int]] = field(default_factory=list)
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
    # why identities were taken for one person
    merged: list[MergeReason] = field(default_factory=list)


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
    # The same figures with the bots' commits counted too.
    commits_including_bots: int = 0
    active_days_including_bots: int = 0
    first_commit_including_bots: datetime | None = None
    last_commit_including_bots: datetime | None = None
    web_upload_commits_including_bots: int = 0
    # Largest commit over every text line (data and vendored files too); the fields above
    # count code lines only.
    largest_commit_share_all_files: float | None = None
    largest_commit_all_files: str | None = None
    code_lines: int = 0
    # kind ("data", "vendored", "notebook") -> path -> lines added (notebooks: 0)
    other_files: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def span_hours(self) -> float | None:
        if self.first_commit is None or self.last_commit is None:
            return None
        return (self.last_commit - self.first_commit).total_seconds() / 3600


def _clean(text: str) -> str:
    if text.isprintable():
        return text.strip()
    return "".join(ch for ch in text if ch.isprintable()).strip()


def github_login(email: str) -> str | None:
    match = _NOREPLY.match(email.casefold())
    return match.group("login") if match else None


@functools.lru_cache(maxsize=64)
def _bot_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The patterns as one regular expression; ``*`` is the only wildcard (``[bot]`` is
    literal)."""
    parts = (re.escape(p.casefold()).replace(r"\*", ".*") for p in patterns if p.strip())
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!)", re.DOTALL)


def is_bot(identity: Identity, patterns: Sequence[str] = DEFAULT_BOTS) -> bool:
    regex = _bot_regex(tuple(patterns))
    email = identity.email.casefold()
    login = github_login(email)
    return any(
        regex.fullmatch(value) for value in (identity.name.casefold(), email, login) if value
    )


def is_generic(identity: Identity) -> bool:
    name = " ".join(identity.name.casefold().split())
    local, _, domain = identity.email.casefold().partition("@")
    generic_email = local in GENERIC_NAMES or not domain or bool(_MACHINE_DOMAIN.search(domain))
    return name in GENERIC_NAMES and generic_email


def normal_login(text: str) -> str:
    """A login or name as a login: case-folded, without spaces, ``-``, ``_`` or ``.``."""
    return re.sub(r"[\s._-]+", "", text.casefold())


def _keys(identity: Identity, logins: Container[str] = frozenset()) -> list[str]:
    """The identity's keys; ``logins``: the normalised logins of the history's no-reply
    addresses, which a name or an e-mail's local part may spell."""
    email = identity.email.casefold()
    keys = [f"email:{email}"] if email else []
    if is_generic(identity):
        return keys or [f"name:{identity.name.casefold()}"]
    login = github_login(email)
    if login:
        keys.append(f"login:{normal_login(login)}")
    name = " ".join(identity.name.casefold().split())
    if name not in GENERIC_NAMES:
        keys.append(f"name:{name}")
        spelled = normal_login(name)
        if spelled in logins and f"login:{spelled}" not in keys:
            keys.append(f"login:{spelled}")
    local = email.partition("@")[0]
    if local and not login and local not in GENERIC_NAMES:
        spelled = normal_login(local)
        if spelled in logins and f"login:{spelled}" not in keys:
            keys.append(f"login:{spelled}")
    return keys


_KEY_REASONS = {
    "email": "same e-mail address",
    "name": "same name",
    "login": "same GitHub login (no-reply address, name or e-mail)",
    "declared": "declared by the candidate",
}


def unquote(path: str) -> str:
    """A path as git prints it with ``core.quotePath`` (C-quoted when unusual)."""
    if len(path) >= 2 and path[0] == path[-1] == '"':
        try:
            raw = codecs.escape_decode(path[1:-1].encode("latin-1", "backslashreplace"))[0]
            return raw.decode("utf-8", "replace")
        except (ValueError, UnicodeError):
            return path[1:-1]
    return path


_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
AddedLines = Callable[[str, int, list[str]], None]


def _patch_path(header: str, prefix: str) -> str | None:
    """``b/x`` of a ``+++ b/x`` (or ``--- a/x``) header; ``None`` for ``/dev/null``."""
    rest = header[4:].rstrip("\n")
    if rest.endswith("\t"):
        rest = rest[:-1]
    rest = unquote(rest)
    return rest[len(prefix) :] if rest.startswith(prefix) else None


class _FileDiff:
    __slots__ = ("added", "kind", "notebook", "path")

    def __init__(self) -> None:
        self.path: str | None = None
        self.kind = signals.CODE
        self.added = 0
        self.notebook = False


def parse_log(lines: Iterable[str], added: AddedLines | None = None) -> Iterator[Commit]:
    """Commits from ``git log --format=_FORMAT --raw`` output with ``-p -U0`` (patches) or
    ``--numstat`` (counts), line by line.

    With patches, each hunk's added lines go to ``added(path, first_line, lines)``; lines
    added are counted from the patch, as ``--numstat`` counts them.
    """
    reader = _LogLines(added)
    for raw in lines:
        # most lines of a patch log are a hunk's: the one test before any other
        if (reader.removed_left or reader.added_left) and reader.hunk_line(raw):
            continue
        done = reader.line(raw.rstrip("\n"))
        if done is not None:
            yield done
    last = reader.finish()
    if last is not None:
        yield last


class _LogLines:
    """``parse_log``'s state between lines: the commit being read, the file of its patch, and
    the hunk whose lines are still to come."""

    __slots__ = (
        "added",
        "added_left",
        "current",
        "diff",
        "hunk",
        "hunk_path",
        "hunk_start",
        "removed_left",
    )

    def __init__(self, added: AddedLines | None) -> None:
        self.added = added
        self.current: Commit | None = None
        self.diff: _FileDiff | None = None
        self.removed_left = self.added_left = 0  # lines still to come in the current hunk
        self.hunk: list[str] = []
        self.hunk_path = ""
        self.hunk_start = 0

    def hunk_line(self, raw: str) -> bool:
        """One line of the current hunk; ``False`` when it is not one (the hunk was malformed
        and ends here)."""
        first = raw[:1]
        if first == "+":
            self.added_left -= 1
            if self.added is not None:
                self.hunk.append(raw[1:].rstrip("\r\n"))
            if self.diff is not None:
                self.diff.added += 1
        elif first == "-":
            self.removed_left -= 1
        elif first == "\\":  # "\ No newline at end of file"
            return True
        else:
            self._hand_on_hunk()
            self.removed_left = self.added_left = 0
            return False
        if not self.added_left and not self.removed_left:
            self._hand_on_hunk()
        return True

    def line(self, line: str) -> Commit | None:
        """One line outside a hunk; the commit it ends when it starts the next one."""
        if line.startswith(_RECORD):
            self._end_file()
            done, self.current = self.current, _commit_header(line[1:])
            return done
        current = self.current
        if current is None or not line:
            return None
        if line.startswith(":"):
            _raw_line(current, line)
        elif line.startswith("diff "):
            self._end_file()
            self.diff = _FileDiff()
        elif self.diff is not None:
            self._patch_line(current, self.diff, line)
        else:
            _numstat_line(current, line)
        return None

    def finish(self) -> Commit | None:
        """The last commit, once the lines are done."""
        self._hand_on_hunk()
        self._end_file()
        return self.current

    def _patch_line(self, current: Commit, diff: _FileDiff, line: str) -> None:
        """A line of a file's patch before or between its hunks."""
        if line.startswith("@@"):
            self._start_hunk(diff, line)
        elif line.startswith("+++ "):
            path = _patch_path(line, "b/")
            if path is not None:
                diff.path = path
                diff.kind = signals.file_kind(path)
                diff.notebook = diff.kind == signals.NOTEBOOK
        elif line.startswith("--- "):
            path = _patch_path(line, "a/")
            if path is not None and diff.path is None:
                diff.path = path
                diff.notebook = path.casefold().endswith(".ipynb")
        elif line.startswith("Binary files "):
            current.binary_files += 1
            self.diff = None

    def _start_hunk(self, diff: _FileDiff, line: str) -> None:
        match = _HUNK.match(line)
        if match is None or diff.path is None:
            return
        self.removed_left = int(match.group(1) or 1)
        self.added_left = int(match.group(3) or 1)
        self.hunk_start = int(match.group(2))
        self.hunk_path = diff.path
        self.hunk = []

    def _hand_on_hunk(self) -> None:
        if self.hunk and self.added is not None:
            self.added(self.hunk_path, self.hunk_start, self.hunk)
        self.hunk = []

    def _end_file(self) -> None:
        diff, current = self.diff, self.current
        if diff is not None and current is not None and diff.path is not None:
            if diff.notebook:
                current.notebook_files += 1
            elif diff.added:
                current.lines_added += diff.added
                _count_kind(current, diff.kind, diff.path, diff.added)
        self.diff = None


def _raw_line(commit: Commit, line: str) -> None:
    """``:100644 100644 <old> <new> M<TAB>path`` of ``--raw``: the file version the commit
    introduced, kept for regular files that still exist."""
    meta, _, path = line.partition("\t")
    fields = meta.split()
    if len(fields) == 5 and fields[4] != "D" and fields[1] in ("100644", "100755"):
        commit.blobs.append((fields[3], unquote(path)))


def _numstat_line(commit: Commit, line: str) -> None:
    """``<added>\\t<deleted>\\t<path>`` of ``--numstat``."""
    count, tab, rest = line.partition("\t")
    if not tab:
        return
    path = unquote(rest.partition("\t")[2])
    if count == "-":
        commit.binary_files += 1
    elif path.endswith(".ipynb"):
        commit.notebook_files += 1
    elif count.isdigit():
        commit.lines_added += int(count)
        _count_kind(commit, signals.file_kind(path), path, int(count))


def _commit_header(line: str) -> Commit | None:
    parts = line.split(_FIELD)
    if len(parts) != 7:
        return None  # a name with our separators in it: skip, never crash
    sha, name, email, stamp, local_date, parents, committer = parts
    try:
        timestamp = int(stamp)
    except ValueError:
        return None
    return Commit(
        sha=sha,
        author=Identity(_clean(name), _clean(email)),
        timestamp=timestamp,
        day=local_date[:10],
        parents=len(parents.split()),
        committer_email=committer.casefold(),
    )


def _file_diff(commit: Commit, segment: str, added: AddedLines | None) -> None:
    """One file's part of a ``-p -U0`` patch (from after ``diff `` to the next file)."""
    head, sep, hunks = segment.partition("\n@@ ")
    path: str | None = None
    for line in head.split("\n"):
        if line.startswith("+++ "):
            path = _patch_path(line, "b/") or path
        elif line.startswith("--- ") and path is None:
            path = _patch_path(line, "a/")
        elif line.startswith("Binary files "):
            commit.binary_files += 1
            return
    if path is None:
        return
    kind = _kind(path)
    if kind == signals.NOTEBOOK:
        commit.notebook_files += 1
    if not sep:
        return
    total = _hunks_added(path, hunks, added)
    if total and kind != signals.NOTEBOOK:
        commit.lines_added += total
        _count_kind(commit, kind, path, total)


def _hunks_added(path: str, hunks: str, added: AddedLines | None) -> int:
    """How many lines the hunks of one file's patch add; each hunk's added lines go to
    ``added`` with the line the hunk starts at in the new file. ``hunks`` is the patch from
    after its first ``@@ `` on; a pure removal (``+n,0``) adds nothing and is skipped."""
    total = 0
    for hunk in hunks.split("\n@@ "):
        header, _, body = hunk.partition("\n")
        match = _HUNK_TAIL.match(header)
        if match is None:
            continue
        removed = int(match.group(1) or 1)
        count = int(match.group(3) or 1)
        if not count:
            continue
        lines = body.split("\n", removed + count + 2)
        if "\n\\" in body or body.startswith("\\"):  # "\ No newline at end of file"
            lines = [line for line in lines if not line.startswith("\\")]
        new = [line[1:] for line in lines[removed : removed + count] if line[:1] == "+"]
        total += len(new)
        if added is not None and new:
            if "\r" in body:
                new = [line.rstrip("\r") for line in new]
            added(path, int(match.group(2)), new)
    return total


_HUNK_TAIL = re.compile(r"^-\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@functools.lru_cache(maxsize=65536)
def _kind(path: str) -> str:
    return signals.file_kind(path)


def parse_patch_log(chunks: Iterable[str], added: AddedLines | None = None) -> Iterator[Commit]:
    """Commits from ``git log --format=_FORMAT --raw [-p -U0]`` output given in pieces of any
    size: the same result as ``parse_log``, but each file's hunks are cut out with ``str``
    methods instead of a Python step per line."""
    rest = ""
    for chunk in chunks:
        rest += chunk
        records = rest.split(_RECORD)
        rest = records.pop()
        for record in records:
            commit = _parse_record(record, added)
            if commit is not None:
                yield commit
    if rest:
        commit = _parse_record(rest, added)
        if commit is not None:
            yield commit


def _parse_record(record: str, added: AddedLines | None) -> Commit | None:
    header, _, body = record.partition("\n")
    if not header:
        return None
    commit = _commit_header(header)
    if commit is None:
        return None
    raw, _, patch = body.partition("\ndiff ")
    for line in raw.split("\n"):
        if line.startswith(":"):
            _raw_line(commit, line)
    if patch:
        for segment in patch.split("\ndiff "):
            _file_diff(commit, segment, added)
    return commit


def _count_kind(commit: Commit, kind: str, path: str, lines: int) -> None:
    if kind == signals.CODE:
        commit.code_lines += lines
    else:
        commit.other_files.append((path, kind, lines))


def _log(
    repo: Repo,
    commit: str,
    *,
    max_commits: int,
    patch: bool,
    exclude: Iterable[str] = (),
    added: AddedLines | None = None,
) -> tuple[list[Commit], bool]:
    proc = repo.popen(
        # In-tree .gitattributes (which newer git reads in a bare clone) could mark every file
        # "-diff" and hide its lines; the empty tree's attributes are none.
        "-c",
        f"attr.tree={EMPTY_TREE}",
        "log",
        "--no-color",
        "--no-renames",
        "--no-mailmap",
        "--no-ext-diff",
        "--no-textconv",
        *(["-p", "-U0", "--src-prefix=a/", "--dst-prefix=b/"] if patch else []),
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
    stdout = proc.stdout
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def pieces() -> Iterator[str]:
        while block := stdout.read(1 << 20):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)

    commits: list[Commit] = []

    def within_limit(path: str, first: int, lines: list[str]) -> None:
        # the hunks parsed belong to the commit after the last one yielded
        if len(commits) < max_commits:
            added(path, first, lines)  # type: ignore[misc]

    cut = False
    for c in parse_patch_log(pieces(), within_limit if added is not None else None):
        commits.append(c)
        if len(commits) > max_commits:
            cut = True
            break
    if cut:
        proc.kill()
    stdout.close()
    code = proc.wait()
    return commits, code == 0 or cut


def read_commits(
    repo: Repo,
    commit: str,
    *,
    max_commits: int,
    present: Container[str],
    added: AddedLines | None = None,
) -> tuple[list[Commit], bool]:
    """All commits reachable from ``commit`` (at most ``max_commits``) and whether cut short.

    One ``git log -p -U0 --raw`` process: the raw lines name every file version a commit
    introduced, the patch gives the lines each commit added (counted, and handed to ``added``
    for the secret scan). When the clone lacks blobs (a partial clone), that log cannot diff
    them and fails; then a ``--raw`` log (which reads no blobs) gives the commits and the
    missing files' paths, and a patch log that excludes those paths gives the lines of
    everything else.
    """
    # A log that fails part-way has handed on only lines that are really in the history; the
    # second log repeats them, and the scanner reads each distinct line once.
    commits, ok = _log(repo, commit, max_commits=max_commits, patch=True, added=added)
    if not ok:
        commits, ok = _log(repo, commit, max_commits=max_commits, patch=False)
        if not ok:
            raise GitError("the history could not be read")
        missing = sorted({path for c in commits for sha, path in c.blobs if sha not in present})
        counted, ok = _log(
            repo,
            commit,
            max_commits=max_commits,
            patch=True,
            exclude=missing,
            added=added,
        )
        if not ok:
            raise GitError("the history could not be read")
        by_sha = {c.sha: c for c in counted}
        for c in commits:
            if c.sha in by_sha:
                other = by_sha[c.sha]
                c.lines_added = other.lines_added
                c.code_lines = other.code_lines
                c.other_files = other.other_files
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
    commits: list[Commit],
    *,
    declared: Iterable[str] = (),
    truncated: bool = False,
    bots: Sequence[str] = DEFAULT_BOTS,
) -> Authorship:
    declared_keys = {d.strip().casefold().lstrip("@") for d in declared if d.strip()}
    people: list[Commit] = []
    bot_commits: list[Commit] = []
    bot_identity = {i: is_bot(i, bots) for i in {c.author for c in commits}}
    for c in commits:
        (bot_commits if bot_identity[c.author] else people).append(c)
    identities = {c.author for c in people}
    keys_of = _identity_keys(identities, declared_keys)
    group_of = _person_of(keys_of)
    authors, unattributed = _authors(people, group_of, keys_of, declared_keys)

    candidate_commits = candidate_lines = None
    if declared_keys:
        candidate_groups = {group_of[i] for i in identities if _matches_declared(i, declared_keys)}
        own = [c for c in people if group_of[c.author] in candidate_groups]
        candidate_commits = len(own)
        candidate_lines = sum(c.lines_added for c in own)

    total_lines = sum(c.lines_added for c in people)
    code_lines = sum(c.code_lines for c in people)
    largest = max(people, key=lambda c: c.code_lines, default=None)
    largest_all = max(people, key=lambda c: c.lines_added, default=None)
    stamps = [c.timestamp for c in people]
    all_stamps = [c.timestamp for c in commits]
    return Authorship(
        commits=len(people),
        authors=sorted(authors, key=lambda a: (-a.commits, a.email)),
        bots=sorted(_bot_authors(bot_commits), key=lambda a: (-a.commits, a.email)),
        unattributed=sorted(unattributed, key=lambda i: i.email),
        active_days=len({c.day for c in people}),
        first_commit=_utc(min(stamps)) if stamps else None,
        last_commit=_utc(max(stamps)) if stamps else None,
        candidate_commits=candidate_commits,
        candidate_lines=candidate_lines,
        largest_commit_share=(largest.code_lines / code_lines) if largest and code_lines else None,
        largest_commit=largest.sha if largest and code_lines else None,
        lines_added=total_lines,
        truncated=truncated,
        web_upload_commits=sum(1 for c in people if c.committer_email == "noreply@github.com"),
        commits_including_bots=len(commits),
        active_days_including_bots=len({c.day for c in commits}),
        first_commit_including_bots=_utc(min(all_stamps)) if all_stamps else None,
        last_commit_including_bots=_utc(max(all_stamps)) if all_stamps else None,
        web_upload_commits_including_bots=sum(
            1 for c in commits if c.committer_email == "noreply@github.com"
        ),
        largest_commit_share_all_files=(largest_all.lines_added / total_lines)
        if largest_all and total_lines
        else None,
        largest_commit_all_files=largest_all.sha if largest_all and total_lines else None,
        code_lines=code_lines,
        other_files=_other_files(people),
    )


def _identity_keys(identities: set[Identity], declared_keys: set[str]) -> dict[Identity, list[str]]:
    """Each identity's keys (``_keys``); a machine identity the candidate declared also gets
    the key ``declared:candidate``, which joins it to the candidate's other declared ones."""
    logins = {
        normal_login(login) for i in identities if (login := github_login(i.email.casefold()))
    }
    keys_of: dict[Identity, list[str]] = {}
    for ident in identities:
        keys = _keys(ident, logins)
        if is_generic(ident) and _matches_declared(ident, declared_keys):
            keys = [*keys, "declared:candidate"]
        keys_of[ident] = keys
    return keys_of


def _person_of(keys_of: dict[Identity, list[str]]) -> dict[Identity, str]:
    """Identity -> its person (the root key of its group): identities that share a key are
    one person."""
    uf = _UnionFind()
    for keys in keys_of.values():
        first = keys[0]
        for key in keys[1:]:
            uf.union(first, key)
    return {ident: uf.find(keys[0]) for ident, keys in keys_of.items()}


def _authors(
    people: list[Commit],
    group_of: dict[Identity, str],
    keys_of: dict[Identity, list[str]],
    declared_keys: set[str],
) -> tuple[list[Author], list[Identity]]:
    """One author per person, in the order of their first commits, and the identities that
    cannot be tied to a person."""
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
        author.merged = _merge_reasons(author.identities, keys_of)
    return list(groups.values()), unattributed


def _bot_authors(bot_commits: list[Commit]) -> list[Author]:
    """One author per bot identity: bots are never merged."""
    bot_authors: dict[Identity, Author] = {}
    for c in bot_commits:
        bot = bot_authors.setdefault(c.author, Author(c.author.name, c.author.email, [c.author]))
        bot.commits += 1
        bot.lines_added += c.lines_added
    return list(bot_authors.values())


def _other_files(people: list[Commit]) -> dict[str, dict[str, int]]:
    """Kind ("data", "vendored", "notebook") -> path -> lines people added (notebooks: 0)."""
    other: dict[str, dict[str, int]] = {
        signals.DATA: {},
        signals.VENDORED: {},
        signals.NOTEBOOK: {},
    }
    for c in people:
        for path, kind, lines in c.other_files:
            other[kind][path] = other[kind].get(path, 0) + lines
        for _sha, path in c.blobs:
            if path.casefold().endswith(".ipynb"):
                other[signals.NOTEBOOK].setdefault(path, 0)
    return other


def _merge_reasons(
    identities: list[Identity], keys_of: dict[Identity, list[str]]
) -> list[MergeReason]:
    """For a person of several identities: each key two or more of them share."""
    if len(identities) < 2:
        return []
    holders: dict[str, list[Identity]] = defaultdict(list)
    for ident in identities:
        for key in keys_of[ident]:
            holders[key].append(ident)
    reasons: list[MergeReason] = []
    for key, members in holders.items():
        if len(members) < 2:
            continue
        rule, _, value = key.partition(":")
        reasons.append(
            {
                "rule": rule,
                "reason": _KEY_REASONS.get(rule, rule),
                "value": value if rule != "declared" else None,
                "identities": [{"name": i.name, "email": i.email} for i in members],
            }
        )
    reasons.sort(key=lambda r: (r["rule"], str(r["value"])))
    return reasons


def _utc(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, tz=UTC)


__all__ = [
    "DEFAULT_BOTS",
    "Author",
    "Authorship",
    "Commit",
    "Identity",
    "authorship",
    "read_commits",
]
