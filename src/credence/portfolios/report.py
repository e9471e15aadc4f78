"""The evidence report's JSON (docs/portfolio-report.md, version 2) as typed dictionaries.

The report is stored and printed as JSON, so its shape is a ``TypedDict``: what ``analyze``
returns is that JSON as it stands, with each field typed for the code that builds and reads
it. ``credence portfolio analyze --json`` prints the keys in the order ``analysis`` builds
them in, not in this one's.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class PersonJSON(TypedDict):
    name: str
    email: str


class MergeReason(TypedDict):
    """Why identities were taken for one person: one key two or more of them share."""

    rule: str
    reason: str
    value: str | None  # None for identities the candidate declared
    identities: list[PersonJSON]


class AuthorJSON(TypedDict):
    name: str
    email: str
    commits: int
    lines_added: int
    identities: list[PersonJSON]
    attributable: bool
    merged: list[MergeReason]


class BotJSON(TypedDict):
    name: str
    email: str
    commits: int


class CandidateShare(TypedDict):
    commits: float | None
    lines: float | None


class LinesAdded(TypedDict):
    all: int
    code: int
    data: int
    vendored: int


class FileLines(TypedDict):
    path: str
    lines_added: int


class NonCodeFiles(TypedDict):
    data: list[FileLines]
    notebook: list[FileLines]
    vendored: list[FileLines]


class OwnCommits(TypedDict):
    """A fork's or a copy's commits after the branch point."""

    upstream: str
    own_commits: int
    own_lines_added: int
    candidate_own_commits: int | None


class UpstreamError(TypedDict):
    """The upstream could not be read."""

    upstream: str
    error: str


class TestCount(TypedDict):
    files: int
    functions: int


class CIFile(TypedDict):
    path: str
    system: str
    runs_tests: bool


class Readme(TypedDict):
    present: bool
    words: int
    sections: list[str]
    path: str | None


class ManifestJSON(TypedDict):
    path: str
    kind: str
    pinned: bool | None
    dependencies: int
    unpinned: list[str]
    error: NotRequired[str]


class Notebooks(TypedDict):
    count: int
    with_outputs: int
    code_cells: int
    unreadable: int


class LargeFile(TypedDict):
    path: str
    size: int | None  # None: the blob is not in the clone
    in_pinned_tree: bool


class Secret(TypedDict):
    path: str
    line: int
    kind: str
    in_pinned_tree: bool


class SecretScan(TypedDict):
    lines_scanned: int
    lines_analysed: int


class TopicEvidence(TypedDict):
    framework: str
    path: str
    line: int
    text: str


class TopicCoverage(TypedDict):
    code: str
    name: str
    covered: bool
    evidence: list[TopicEvidence]


class Relevance(TypedDict):
    score: int
    topics: list[TopicCoverage]


class Unreadable(TypedDict):
    path: str
    reason: str


class EvidenceReport(TypedDict):
    version: int
    commit: str
    commits: int
    commits_including_bots: int
    authors: list[AuthorJSON]
    bots: list[BotJSON]
    unattributed: list[PersonJSON]
    active_days: int
    active_days_including_bots: int
    first_commit: str | None
    last_commit: str | None
    first_commit_including_bots: str | None
    last_commit_including_bots: str | None
    history_hours: float | None
    history_hours_including_bots: float | None
    candidate_share: CandidateShare | None
    candidate_authored: bool | None
    largest_commit_share: float | None
    largest_commit: str | None
    largest_commit_share_all_files: float | None
    largest_commit_all_files: str | None
    lines_added: LinesAdded
    non_code_files: NonCodeFiles
    web_upload_commits: int
    web_upload_commits_including_bots: int
    is_fork: bool | None
    fork: OwnCommits | UpstreamError | None
    tests: TestCount
    test_files_without_tests: list[str]
    ci: list[str]
    ci_files: list[CIFile]
    ci_runs_tests: bool | None
    readme: Readme
    license: str | None
    license_source: str | None
    license_file: str | None
    license_mentioned: str | None
    license_status: str
    manifests: list[ManifestJSON]
    environment: list[str]
    notebooks: Notebooks
    large_files: list[LargeFile]
    secrets: list[Secret]
    secret_scan: SecretScan
    frameworks: list[str]
    relevance: Relevance | None
    symlinks: list[str]
    submodules: list[str]
    unreadable: list[Unreadable]
    files: int
    notes: list[str]
    largest_commit_message: str | None
