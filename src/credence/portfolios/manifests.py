"""Dependency manifests read by hand, so that lines standard parsers reject still count.

``torch==2.1.0+cu118`` (a local version label), ``-e git+https://…@<sha>``, conda's
``numpy=1.26`` and Poetry's tables are all read; a dependency is *pinned* when it names one
exact version (``==``, ``===``, conda ``=``/``==``, a bare npm version, a VCS URL at a full
commit). A lock file pins everything by definition.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

LOCK_FILES = frozenset(
    {
        "poetry.lock",
        "uv.lock",
        "pipfile.lock",
        "pdm.lock",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "conda-lock.yml",
        "cargo.lock",
        "go.sum",
    }
)

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_EXACT = re.compile(r"^===?\s*[A-Za-z0-9][A-Za-z0-9.+!_*-]*$")
_VCS_PIN = re.compile(r"@[0-9a-f]{40}\b")
_EGG = re.compile(r"#egg=([A-Za-z0-9._-]+)")


@dataclass
class Manifest:
    path: str
    kind: str
    dependencies: list[tuple[str, bool, int]] = field(default_factory=list)  # name, pinned, line
    lock: bool = False
    error: str | None = None

    @property
    def pinned(self) -> bool | None:
        if self.lock:
            return True
        if not self.dependencies:
            return None
        return all(pinned for _name, pinned, _line in self.dependencies)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).casefold()


def manifest_kind(path: str) -> str | None:
    name = PurePosixPath(path).name.casefold()
    if name in LOCK_FILES:
        return "lock"
    if (name.endswith(".txt") and name.startswith("requirements")) or (
        name.endswith(".txt") and "/requirements" in f"/{path.casefold()}"
    ):
        return "requirements"
    if name in {"requirements.in", "constraints.txt"}:
        return "requirements"
    return {
        "pyproject.toml": "pyproject",
        "pipfile": "pipfile",
        "environment.yml": "conda",
        "environment.yaml": "conda",
        "package.json": "npm",
        "setup.cfg": "setup.cfg",
    }.get(name)


def requirement_line(line: str) -> tuple[str, bool] | None:
    """``(name, pinned)`` for one requirements line; ``None`` for options and comments."""
    text = line.split(" #", 1)[0].strip()
    if not text or text.startswith("#"):
        return None
    if text.startswith("-") and not text.startswith(("-e ", "--editable ")):
        return None  # -r, -c, --index-url, --hash…: not a dependency
    if text.startswith(("-e ", "--editable ")) or "://" in text:
        egg = _EGG.search(text)
        name = egg.group(1) if egg else text.rsplit("/", 1)[-1].split("@")[0].split(".git")[0]
        if " @ " in text and not egg:
            name = text.split(" @ ", 1)[0].strip()
        return (normalize(name), bool(_VCS_PIN.search(text))) if name else None
    match = _REQ_NAME.match(text)
    if not match:
        return None
    spec = match.group(3).split(";", 1)[0].strip()
    return normalize(match.group(1)), bool(_EXACT.match(spec.replace(" ", "")))


def parse_manifest(path: str, text: str) -> Manifest:
    kind = manifest_kind(path) or "unknown"
    manifest = Manifest(path=path, kind=kind, lock=kind == "lock")
    reader = _READERS.get(kind)  # a lock file pins everything: nothing to read
    if reader is not None:
        try:
            reader(manifest, text)
        except (ValueError, TypeError, AttributeError, yaml.YAMLError, RecursionError) as exc:
            manifest.error = type(exc).__name__
    return manifest


def _requirements(manifest: Manifest, text: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        parsed = requirement_line(line)
        if parsed:
            manifest.dependencies.append((*parsed, number))


def _pipfile(manifest: Manifest, text: str) -> None:
    data = tomllib.loads(text)
    for section in ("packages", "dev-packages"):
        for name, spec in (data.get(section) or {}).items():
            manifest.dependencies.append(
                (normalize(name), _poetry_pinned(spec), _line_of(text, name))
            )


def _npm(manifest: Manifest, text: str) -> None:
    data = json.loads(text)
    for section in ("dependencies", "devDependencies"):
        for name, spec in (data.get(section) or {}).items():
            pinned = isinstance(spec, str) and bool(re.match(r"^\d+\.\d+\.\d+\S*$", spec))
            manifest.dependencies.append((name.casefold(), pinned, _line_of(text, name)))


def _setup_cfg(manifest: Manifest, text: str) -> None:
    """The indented lines after ``install_requires``."""
    in_requires = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("install_requires"):
            in_requires = True
            continue
        if in_requires and line[:1] in (" ", "\t") and line.strip():
            parsed = requirement_line(line)
            if parsed:
                manifest.dependencies.append((*parsed, number))
        elif line.strip():
            in_requires = False


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 0


def _poetry_pinned(spec: object) -> bool:
    if isinstance(spec, dict):
        spec = spec.get("version", "")
    if not isinstance(spec, str):
        return False
    spec = spec.strip()
    return bool(re.match(r"^(==)?\d[\w.+!-]*$", spec))


def _pyproject(manifest: Manifest, text: str) -> None:
    data = tomllib.loads(text)
    project = data.get("project") or {}
    lists = [project.get("dependencies") or []]
    lists += list((project.get("optional-dependencies") or {}).values())
    lists += list((data.get("dependency-groups") or {}).values())
    for items in lists:
        for item in items:
            if isinstance(item, str):
                parsed = requirement_line(item)
                if parsed:
                    manifest.dependencies.append((*parsed, _line_of(text, item)))
    poetry = (data.get("tool") or {}).get("poetry") or {}
    for section in ("dependencies", "dev-dependencies"):
        for name, spec in (poetry.get(section) or {}).items():
            if name.casefold() != "python":
                manifest.dependencies.append(
                    (normalize(name), _poetry_pinned(spec), _line_of(text, name))
                )


def _conda(manifest: Manifest, text: str) -> None:
    data = yaml.safe_load(text) or {}
    for item in data.get("dependencies") or []:
        if isinstance(item, str):
            match = re.match(r"^([^=<>!~\s]+)\s*(.*)$", item.strip())
            if match:
                base = match.group(1).split("::")[-1]
                pinned = bool(re.match(r"^==?[\w.+!-]+$", match.group(2)))
                manifest.dependencies.append((normalize(base), pinned, _line_of(text, item)))
        elif isinstance(item, dict):
            for line in item.get("pip") or []:
                parsed = requirement_line(str(line))
                if parsed:
                    manifest.dependencies.append((*parsed, _line_of(text, str(line))))


_READERS: dict[str, Callable[[Manifest, str], None]] = {
    "requirements": _requirements,
    "pyproject": _pyproject,
    "pipfile": _pipfile,
    "conda": _conda,
    "npm": _npm,
    "setup.cfg": _setup_cfg,
}
