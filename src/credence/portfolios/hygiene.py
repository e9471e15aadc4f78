"""Secrets in a repository's history: detect-secrets' provider rules plus our ``.env`` rules.

detect-secrets is the maintained scanner; we use its *regular-expression* detectors (AWS,
GitHub, OpenAI, Slack, private keys, JWT …) line by line and leave out the two entropy
detectors, which flood on notebook images, lock-file hashes and commit hashes, and the keyword
detector, which flags every ``password = ""`` in a test. What those miss — a ``.env`` file that
assigns ``DB_PASSWORD=…`` or ``HF_TOKEN=…`` without a provider prefix — is what our own rules
find: in a file named like an environment file, an assignment to a name that says it is a
secret, of a value that is no placeholder.

Lines that are embedded images (base64 ``image/*`` outputs in notebooks, ``data:`` URIs) are
not scanned. Findings carry file, line and kind, and never the value; no provider is ever
called to check a key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from detect_secrets.plugins.base import RegexBasedDetector

from credence.portfolios import detectors


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    fingerprint: str  # sha256 of kind and value, to tell repeats apart; the value is dropped


_ENV_FILE = re.compile(r"(^|/)(\.env(\.[^/]*)?|[^/]+\.env|\.envrc)$", re.IGNORECASE)
_ENV_ASSIGN = re.compile(
    r"""^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(?P<value>.*?)\s*$"""
)
_SECRET_NAME = re.compile(
    r"(secret|token|passw(or)?d|passwd|pwd|api_?key|access_?key|private_?key|credential|"
    r"auth|client_?secret|dsn)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(|x+|\*+|\.+|null|none|true|false|changeme|change[-_]?me|example|dummy|test|todo|"
    r"placeholder)$|your[-_ ]|<[^>]*>|\$\{|\$\(|^\$[A-Z_]+$|example|changeme|xxxx|replace",
    re.IGNORECASE,
)
_IMAGE_LINE = re.compile(r'"image/[a-z+.-]+"\s*:|data:image/[a-z+.-]+;base64,', re.IGNORECASE)
_MAX_LINE = 4096  # longer lines are minified or embedded data, not hand-written secrets


def is_env_file(path: str) -> bool:
    return bool(_ENV_FILE.search(path))


def _fingerprint(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()[:16]


def _env_findings(path: str, lines: list[str]) -> Iterator[Finding]:
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#"):
            continue
        match = _ENV_ASSIGN.match(line)
        if not match or not _SECRET_NAME.search(match.group("key")):
            continue
        value = match.group("value").strip().strip("'\"")
        if len(value) < 8 or _PLACEHOLDER.search(value) or len(set(value)) < 4:
            continue
        yield Finding(path, number, "Secret in environment file", _fingerprint("env", value))


def scan_text(
    path: str, text: str, plugins: list[RegexBasedDetector] | None = None
) -> list[Finding]:
    """Findings in one file's text (one version of it)."""
    plugins = detectors.regex_detectors() if plugins is None else plugins
    lines = text.splitlines()
    found: dict[int, Finding] = {}
    for number, line in enumerate(lines, 1):
        if len(line) > _MAX_LINE or _IMAGE_LINE.search(line):
            continue
        for plugin in plugins:
            for value in plugin.analyze_string(line):
                if number not in found:
                    found[number] = Finding(
                        path, number, plugin.secret_type, _fingerprint(plugin.secret_type, value)
                    )
    if is_env_file(path):
        for finding in _env_findings(path, lines):
            found.setdefault(finding.line, finding)
    return [found[n] for n in sorted(found)]


def looks_binary(data: bytes) -> bool:
    return b"\0" in data[:8192]


def scannable(path: str) -> bool:
    """Media and archives are not text a secret is written into."""
    suffix = PurePosixPath(path).suffix.casefold()
    return suffix not in {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".ico",
        ".webp",
        ".svg",
        ".pdf",
        ".zip",
        ".gz",
        ".tar",
        ".whl",
        ".pt",
        ".pth",
        ".onnx",
        ".h5",
        ".pkl",
        ".parquet",
        ".npy",
        ".npz",
        ".bin",
        ".safetensors",
        ".mp3",
        ".wav",
        ".mp4",
    }
