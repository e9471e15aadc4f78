"""Secrets in a repository's history: detect-secrets' provider rules plus three of our own.

detect-secrets is the maintained scanner; we use its *regular-expression* detectors (AWS,
GitHub, OpenAI, Slack, private keys, JWT …) and leave out the two entropy detectors, which
flood on notebook images, lock-file hashes and commit hashes, and its keyword detector, which
flags every ``password = ""`` in a test. Our own rules (``docs/portfolio-report.md``):

- **environment files** (``.env``, ``.env.*``, ``*.env``, ``.envrc``): an assignment to a name
  that says it is a secret, of a value that is no placeholder;
- **keyword assignments** in configuration and script files of any usual type (YAML, JSON,
  TOML, INI, shell, Python, Dockerfile …): a key whose last word is password, secret, token,
  api key … assigned a literal of at least 8 characters that is no placeholder, no variable
  reference, no URL and no file path. Test files, test directories (``signals.is_test_path``)
  and ``*.example``/``*.sample``/``*.template`` files are left out; in code files (Python,
  JS …) only quoted literals count;
- **Basic-Auth URLs** (``scheme://user:password@host``) whose password is no placeholder and
  whose host is no documentation example, outside test files.

The history is scanned as *added lines* (``AddedLineScanner``): each distinct (path, line) any
commit added, once. The added lines are packed into blocks of about a megabyte and every
detector's pattern runs over the whole block (one C-level regex search per pattern and block,
not one per line); only the lines a pattern touches are then analysed one by one. Lines longer
than 4,096 characters are scanned in overlapping 4,096-character chunks; lines that are
embedded images (base64 ``image/*`` outputs in notebooks, ``data:`` URIs) are not scanned.
Findings carry file, line and kind, and never the value; no provider is ever called to check
a key.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import PurePosixPath

from detect_secrets.plugins.base import RegexBasedDetector

from credence.portfolios import detectors, signals


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    fingerprint: str  # sha256 of kind and value, to tell repeats apart; the value is dropped
    # The whole line, kept in memory only to tell whether it is still in the pinned tree;
    # never part of the report.
    text: str = field(default="", repr=False, compare=False)


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
    r"placeholder)$|your[-_ ]|<[^>]*>|\$\{|\$\(|^\$[A-Z_]+$|example|change[-_]?(me|this|it)|xxxx|"
    r"replace",
    re.IGNORECASE,
)
_IMAGE_LINE = re.compile(r'"image/[a-z+.-]+"\s*:|data:image/[a-z+.-]+;base64,', re.IGNORECASE)
CHUNK = 4096  # longer lines are scanned in chunks of this size …
_OVERLAP = 256  # … overlapping by this much, so a secret on a chunk boundary is still seen
_BLOCK = 1 << 20  # characters of added lines searched at once

# -- keyword assignments in configuration and script files --------------------------------

_KEYWORD_SUFFIXES = frozenset(
    {
        ".yml",
        ".yaml",
        ".json",
        ".jsonc",
        ".json5",
        ".toml",
        ".ini",
        ".cfg",
        ".conf",
        ".config",
        ".properties",
        ".env",
        ".sh",
        ".bash",
        ".zsh",
        ".ksh",
        ".fish",
        ".ps1",
        ".bat",
        ".cmd",
        ".tf",
        ".tfvars",
        ".hcl",
        ".xml",
        ".py",
        ".ipynb",
        ".r",
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".rb",
        ".php",
        ".go",
        ".java",
        ".kt",
        ".scala",
        ".cs",
    }
)
_KEYWORD_NAMES = frozenset(
    {
        "dockerfile",
        "containerfile",
        "makefile",
        "jenkinsfile",
        "procfile",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".pgpass",
        ".envrc",
        ".htpasswd",
    }
)
# Files whose unquoted right-hand sides are values (in code files they are variables).
_BARE_VALUE_SUFFIXES = frozenset(
    {
        ".yml",
        ".yaml",
        ".toml",
        ".ini",
        ".cfg",
        ".conf",
        ".config",
        ".properties",
        ".env",
        ".sh",
        ".bash",
        ".zsh",
        ".ksh",
        ".fish",
        ".ps1",
        ".bat",
        ".cmd",
        ".tfvars",
        "",
    }
)
_EXAMPLE_FILE = re.compile(r"[._-](example|sample|template|dist|tmpl|tpl)(\.[^/.]+)?$", re.I)
_ASSIGNMENT = re.compile(
    r"""(?P<q>["']?)(?P<key>[A-Za-z_][A-Za-z0-9_.-]{0,80})(?P=q)\]?\s*(?::=|=>|=(?!=)|:(?!:))\s*"""
    r"""(?:(?P<quote>["'])(?P<quoted>[^"'\n]{1,400})(?P=quote)|(?P<bare>[^\s"'`,;#}\])]{1,400}))"""
)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SECRET_LAST = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "dsn",
    }
)
_KEY_QUALIFIERS = frozenset({"api", "access", "secret", "private", "auth", "signing", "master"})
_REFERENCE = re.compile(
    r"^[$%{(\[!*&@<]|os\.environ|getenv|process\.env|env\(|secrets\.|vault:|ssm:|"
    r"\{\{|^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$|^[A-Z_]+$",
)
_PATHLIKE = re.compile(r"^(~|\.{0,2}/)|\.(txt|json|pem|key|crt|cer|p12|yaml|yml|env)$", re.I)
_WORDS = re.compile(
    r"dummy|fake|sample|placeholder|redacted|insert|enter[-_ ]|<|\*\*\*|here|secret[-_]?key|"
    r"password|passwd|string|token|required|optional|undefined|default|foobar",
    re.IGNORECASE,
)
# A key whose last word says secret, then an assignment (lower-cased text): where the keyword
# rule can find something.
_KEYWORD_HINT = (
    r"(?:passw(?:or)?d|pwd|pass|passphrase|secret|token|credentials?|dsn|apikey|"
    r"(?:api|access|secret|private|auth|signing|master)[._-]*key)[\"']?\]?\s*(?::=|=>|=|:)"
)

# -- Basic-Auth URLs -----------------------------------------------------------------------

_URL_CHARS = r"[^:/?#\[\]@!$&'()*+,;=\s\"<>{}%`]"
_BASIC_AUTH = re.compile(
    rf"://(?P<user>{_URL_CHARS}+):(?P<password>{_URL_CHARS}+)@(?P<host>[A-Za-z0-9._-]*)"
)
_BASIC_AUTH_PLACEHOLDERS = frozenset(
    {"password", "pass", "passwd", "pwd", "pw", "secret", "token", "user", "username", "x"}
)
_EXAMPLE_HOST = re.compile(
    r"(^|\.)(example\.(com|org|net)|[a-z0-9-]+\.example|host|hostname|your[-_]?host)$", re.I
)
BASIC_AUTH = "Basic Auth Credentials"
KEYWORD = "Secret Keyword"
ENV = "Secret in environment file"


def is_env_file(path: str) -> bool:
    return bool(_ENV_FILE.search(path))


def _fingerprint(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()[:16]


def _env_value(line: str) -> str | None:
    if line.lstrip().startswith("#"):
        return None
    match = _ENV_ASSIGN.match(line)
    if not match or not _SECRET_NAME.search(match.group("key")):
        return None
    value = match.group("value").strip().strip("'\"")
    if len(value) < 8 or _PLACEHOLDER.search(value) or len(set(value)) < 4:
        return None
    return value


def _is_secret_key(key: str) -> bool:
    parts = [p for p in re.split(r"[_.\-]+", _CAMEL.sub(r"\1_\2", key).casefold()) if p]
    if not parts:
        return False
    last = parts[-1]
    if last in _SECRET_LAST:
        return True
    return last == "key" and len(parts) > 1 and parts[-2] in _KEY_QUALIFIERS


def _is_literal_secret(value: str, key: str) -> bool:
    value = value.strip()
    return not (
        len(value) < 8
        or len(set(value)) < 4
        or value.isdigit()
        or value.casefold() == key.casefold()
        or _PLACEHOLDER.search(value)
        or _REFERENCE.search(value)
        or _PATHLIKE.search(value)
        or _WORDS.search(value)
        or " " in value
        or "://" in value  # a URL (one with a password in it is a Basic-Auth finding)
    )


def keyword_file(path: str) -> bool:
    """Configuration and script files in which ``password: …`` is worth reading."""
    pure = PurePosixPath(path)
    name = pure.name.casefold()
    if _EXAMPLE_FILE.search(name):
        return False
    return (
        pure.suffix.casefold() in _KEYWORD_SUFFIXES
        or name in _KEYWORD_NAMES
        or name.startswith("dockerfile")
        or is_env_file(path)
    )


def _keyword_values(path: str, line: str) -> Iterator[str]:
    stripped = line.lstrip()
    if stripped.startswith(("#", "//", ";", "--", "REM ", "rem ")):
        return
    suffix = PurePosixPath(path).suffix.casefold()
    bare_ok = suffix in _BARE_VALUE_SUFFIXES or is_env_file(path)
    for match in _ASSIGNMENT.finditer(line):
        key = match.group("key")
        if not _is_secret_key(key):
            continue
        value = match.group("quoted")
        if value is None:
            if not bare_ok:
                continue
            value = match.group("bare")
        if _is_literal_secret(value, key):
            yield value


def _basic_auth_values(line: str) -> Iterator[str]:
    for match in _BASIC_AUTH.finditer(line):
        password = match.group("password")
        if (
            password.casefold() in _BASIC_AUTH_PLACEHOLDERS
            or _PLACEHOLDER.search(password)
            or set(password) <= {"*", "x", "X", "."}
            or _EXAMPLE_HOST.search(match.group("host"))
        ):
            continue
        yield password


def _notebook_source(line: str) -> str | None:
    """The source text of one line of a notebook's JSON (``"x = \\"…\\"\\n",``)."""
    stripped = line.strip().rstrip(",")
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        try:
            value = json.loads(stripped)
        except ValueError:
            return None
        return value if isinstance(value, str) else None
    return None


def scan_line(
    path: str,
    line: str,
    plugins: list[RegexBasedDetector],
    *,
    test_file: bool = False,
    only: Collection[int | str] | None = None,
) -> list[tuple[str, str]]:
    """``(kind, fingerprint)`` of the secrets in one line (or one chunk of a long line).

    ``only``: the rules to apply (indexes into ``plugins``, ``"basic"``, ``"keyword"``,
    ``"env"``); all of them when ``None``.
    """
    if _IMAGE_LINE.search(line):
        return []
    found: list[tuple[str, str]] = []
    for number, plugin in enumerate(plugins):
        if only is not None and number not in only:
            continue
        for regex in plugin.denylist:
            # the whole match: ``analyze_string`` yields a pattern's groups, which for some
            # (``(ghp|gho|…)_…``) are the same for every key
            for match in regex.finditer(line):
                value = match.group(0)
                found.append((plugin.secret_type, _fingerprint(plugin.secret_type, value)))
    if not test_file and (only is None or "basic" in only):
        for value in _basic_auth_values(line):
            found.append((BASIC_AUTH, _fingerprint(BASIC_AUTH, value)))
    if (only is None or "env" in only) and is_env_file(path):
        env_value = _env_value(line)
        if env_value is not None:
            found.append((ENV, _fingerprint("env", env_value)))
    if not test_file and (only is None or "keyword" in only) and keyword_file(path):
        texts = [line]
        if path.casefold().endswith(".ipynb"):
            source = _notebook_source(line)
            texts = [source] if source is not None else []
        for text in texts:
            for value in _keyword_values(path, text):
                found.append((KEYWORD, _fingerprint(KEYWORD, value)))
    return found


def chunks(line: str) -> Iterator[str]:
    """A line in pieces of at most ``CHUNK`` characters that overlap by ``_OVERLAP``."""
    if len(line) <= CHUNK:
        yield line
        return
    step = CHUNK - _OVERLAP
    for start in range(0, len(line) - _OVERLAP, step):
        yield line[start : start + CHUNK]


def scan_text(
    path: str, text: str, plugins: list[RegexBasedDetector] | None = None
) -> list[Finding]:
    """Findings in one file's text (one version of it): the first finding of each line."""
    plugins = detectors.regex_detectors() if plugins is None else plugins
    test_file = signals.is_test_path(path)
    found: dict[int, Finding] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > CHUNK and _IMAGE_LINE.search(line):
            continue
        for piece in chunks(line):
            for kind, fingerprint in scan_line(path, piece, plugins, test_file=test_file):
                found.setdefault(number, Finding(path, number, kind, fingerprint, line))
    return [found[n] for n in sorted(found)]


# Faster equivalents (each matches wherever the original does, and maybe more) of detect-secrets
# patterns that start with a character class, an alternation or a lookbehind, for the block
# search; a line they touch is then analysed with the original detectors. ``True``: the
# equivalent needs a gate word (below) on the line.
_KEYWORD_VALUE = (
    r"(?:key|pwd|pw|password|pass|token)[\"']?\]? *(?::=|=>|::|=|:| +) *[\"']?"
    r"[a-z0-9_\-]{24}"
)
_FASTER: dict[str, tuple[str, bool]] = {
    r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}": (
        r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",
        False,
    ),
    r"(?:r|s)k_live_[0-9a-zA-Z]{24}": (r"k_live_[0-9a-zA-Z]{24}", False),
    r"(?:http|https)://api.softlayer.com/soap/(?:v3|v3.1)/([a-z0-9]{64})": (
        r"(?i:api.softlayer.com/soap/)",
        False,
    ),
    r"""(?:\s|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:\s|"|$)""": (r"AKC[a-zA-Z0-9]{10}", False),
    r"""(?:\s|=|:|"|^)AP[\dABCDEF][a-zA-Z0-9]{8,}(?:\s|"|$)""": (
        r"AP[\dABCDEF][a-zA-Z0-9]{8}",
        False,
    ),
    r"\d{8,10}:[0-9A-Za-z_-]{35}": (r":(?<=\d{8}:)[0-9A-Za-z_-]{35}", False),
    r"[0-9a-z]{32}-us[0-9]{1,2}": (r"-us[0-9]", False),
    r"(?:https?\:\/\/)[\w\-]+\:([0-9a-f]{64})\@[\w\-]+\.cloudant\.com": (
        r"(?i:cloudant\.com)",
        False,
    ),
    r"(?:https?\:\/\/)[\w\-]+\:([a-z]{24})\@[\w\-]+\.cloudant\.com": (
        r"(?i:cloudant\.com)",
        False,
    ),
    r"\/\/.+\/:_authToken=\s*((npm_.+)|([A-Fa-f0-9-]{36})).*": (r":_authToken=", False),
}
# Cloudant, IBM and SoftLayer keyword patterns: a keyword, an operator, 24+ key characters.
_KEYWORD_TYPES = frozenset(
    {
        "Cloudant Credentials",
        "IBM COS HMAC Credentials",
        "IBM Cloud IAM Key",
        "SoftLayer Credentials",
    }
)
# Patterns that cannot match without one of these words on the line (case-insensitive) run
# only over the lines that have one, lower-cased (they are all case-insensitive).
_GATE_WORDS = re.compile(r"key|pw|pass|token|secret|credential|auth|dsn")
_GATED = re.compile(r"pwd|secret", re.IGNORECASE)


def _literal_prefix(pattern: str) -> str | None:
    """The literal text a pattern starts with (lower-cased; at least 3 characters), if any."""
    if pattern.startswith("(?i:"):
        pattern = pattern[4:]
    run = re.match(r"[A-Za-z0-9=:_/-]*", pattern).group()  # type: ignore[union-attr]
    if run and pattern[len(run) : len(run) + 1] in ("?", "*", "{"):
        run = run[:-1]  # its last character is optional
    return run.lower() if len(run) >= 3 else None


class AddedLineScanner:
    """Secrets in the lines a history added.

    ``add`` takes the added lines of one hunk; ``findings`` ends the scan. The caller feeds
    commits newest first, so each finding carries the line number of the newest commit that
    added it; the same (path, kind, value) is reported once.
    """

    def __init__(self, plugins: list[RegexBasedDetector] | None = None) -> None:
        self.plugins = detectors.regex_detectors() if plugins is None else plugins
        # pattern text -> (compiled pattern, the rules a line it touches is analysed with)
        whole: dict[str, tuple[re.Pattern[str], set[int | str]]] = {}
        gated: dict[str, tuple[re.Pattern[str], set[int | str]]] = {}

        def use(table: dict, text: str, compiled: re.Pattern[str], rule: int | str) -> None:
            table.setdefault(text, (compiled, set()))[1].add(rule)

        for number, plugin in enumerate(self.plugins):
            for regex in plugin.denylist:
                if regex.pattern in _FASTER:
                    faster, needs_word = _FASTER[regex.pattern]
                    use(gated if needs_word else whole, faster, re.compile(faster), number)
                elif plugin.secret_type in _KEYWORD_TYPES and "(?<=" in regex.pattern:
                    compiled = re.compile(_KEYWORD_VALUE, re.MULTILINE)
                    use(gated, _KEYWORD_VALUE, compiled, number)
                elif (
                    regex.flags & re.IGNORECASE
                    and _GATED.search(regex.pattern)
                    and not re.search(r"[A-Z]", re.sub(r"\[[^\]]*\]|\\.", "", regex.pattern))
                ):
                    # case-insensitive and written in lower case: run over the lower-cased
                    # lines, without IGNORECASE (several times faster in ``re``)
                    flags = (regex.flags & ~re.IGNORECASE) | re.MULTILINE
                    use(gated, regex.pattern, re.compile(regex.pattern, flags), number)
                else:
                    flags = regex.flags | re.MULTILINE
                    use(whole, regex.pattern, re.compile(regex.pattern, flags), number)
        use(whole, _BASIC_AUTH.pattern, _BASIC_AUTH, "basic")
        use(gated, _KEYWORD_HINT, re.compile(_KEYWORD_HINT, re.MULTILINE), "keyword")
        # each with the literal text (lower-cased) it cannot match without, if it has one
        self._whole = [
            (regex, rules, _literal_prefix(regex.pattern)) for regex, rules in whole.values()
        ]
        self._gated = [(regex, rules) for regex, rules in gated.values()]
        self._paths: list[str] = []
        self._path_index: dict[str, int] = {}
        self._scan_path: list[bool] = []
        self._env_path: list[bool] = []
        self._test_path: list[bool] = []
        self._buffer: list[str] = []
        # one entry per hunk (or per chunked long line): buffer position of its first line,
        # path index, its first line number, and 1 (lines in order) or 0 (chunks of one line)
        self._starts: list[int] = []
        self._where: list[tuple[int, int, int]] = []
        self._whole_line: dict[int, str] = {}  # buffer position -> the long line chunked there
        self._env_lines: list[tuple[int, int]] = []  # buffer ranges of environment files
        self._size = 0
        self._found: dict[tuple[str, str, str], Finding] = {}
        self.lines_added = 0  # added lines handed to the detectors
        self.lines_analysed = 0  # of those, lines a pattern touched (analysed one by one)

    def _index(self, path: str) -> int:
        index = self._path_index.get(path)
        if index is None:
            index = self._path_index[path] = len(self._paths)
            self._paths.append(path)
            self._scan_path.append(scannable(path))
            self._env_path.append(is_env_file(path))
            self._test_path.append(signals.is_test_path(path))
        return index

    def add(self, path: str, first_line: int, lines: list[str]) -> None:
        index = self._index(path)
        if not self._scan_path[index] or not lines:
            return
        buffer = self._buffer
        begin = len(buffer)
        if max(map(len, lines)) <= CHUNK:
            self._starts.append(len(buffer))
            self._where.append((index, first_line, 1))
            buffer.extend(lines)
            self._size += sum(map(len, lines)) + len(lines)
        else:
            for offset, line in enumerate(lines):
                if len(line) > CHUNK and _IMAGE_LINE.search(line):
                    continue
                self._starts.append(len(buffer))
                self._where.append((index, first_line + offset, 0 if len(line) > CHUNK else 1))
                if len(line) > CHUNK:
                    self._whole_line[len(buffer)] = line
                pieces = list(chunks(line))
                buffer.extend(pieces)
                self._size += sum(map(len, pieces)) + len(pieces)
        if self._env_path[index]:
            self._env_lines.append((begin, len(buffer)))  # every line meets the .env rule
        if self._size >= _BLOCK:
            self._flush()

    @staticmethod
    def _touched(
        block: str,
        lines: list[str],
        patterns: list[tuple[re.Pattern[str], set[int | str]]],
        touched: dict[int, set[int | str]],
        index: list[int] | None = None,
    ) -> None:
        """Add to ``touched`` the lines (of ``lines``, joined into ``block``; numbered through
        ``index`` when given) a match of a pattern overlaps, with that pattern's rules."""
        starts: list[int] | None = None
        for pattern, rules in patterns:
            for match in pattern.finditer(block):
                if starts is None:
                    starts = [0, *accumulate(len(line) + 1 for line in lines)]
                first = bisect.bisect_right(starts, match.start()) - 1
                last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
                for i in range(first, last + 1):
                    touched.setdefault(index[i] if index else i, set()).update(rules)

    def _flush(self) -> None:
        buffer = self._buffer
        if not buffer:
            return
        block = "\n".join(buffer)
        self.lines_added += len(buffer)
        lowered = block.lower()
        touched: dict[int, set[int | str]] = {}
        patterns = [
            (regex, rules) for regex, rules, text in self._whole if text is None or text in lowered
        ]
        self._touched(block, buffer, patterns, touched)
        if len(lowered) == len(block):
            hits = list(_GATE_WORDS.finditer(lowered))
            if hits:
                starts = [0, *accumulate(len(line) + 1 for line in buffer)]
                keyed = sorted({bisect.bisect_right(starts, m.start()) - 1 for m in hits})
            else:
                keyed = []
        else:  # lower-casing changed lengths (rare letters): gate line by line
            keyed = [i for i, line in enumerate(buffer) if _GATE_WORDS.search(line.lower())]
        if keyed:
            sub = [buffer[i].lower() for i in keyed]
            self._touched("\n".join(sub), sub, self._gated, touched, keyed)
        for begin, end in self._env_lines:
            for i in range(begin, end):
                touched.setdefault(i, set()).add("env")
        self.lines_analysed += len(touched)
        for i in sorted(touched):
            if i >= len(buffer):
                continue
            entry = bisect.bisect_right(self._starts, i) - 1
            index, first_line, step = self._where[entry]
            start = self._starts[entry]
            number = first_line + (i - start) * step
            whole = buffer[i] if step else self._whole_line[start]
            path = self._paths[index]
            for kind, fingerprint in scan_line(
                path,
                buffer[i],
                self.plugins,
                test_file=self._test_path[index],
                only=touched[i],
            ):
                key = (path, kind, fingerprint)
                if key not in self._found:
                    self._found[key] = Finding(path, number, kind, fingerprint, whole)
        self._buffer = []
        self._starts = []
        self._where = []
        self._whole_line = {}
        self._env_lines = []
        self._size = 0

    def findings(self) -> list[Finding]:
        self._flush()
        # One finding per line: the first kind found on it.
        by_line: dict[tuple[str, int, str], Finding] = {}
        for finding in self._found.values():
            by_line.setdefault((finding.path, finding.line, finding.text), finding)
        return list(by_line.values())


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
