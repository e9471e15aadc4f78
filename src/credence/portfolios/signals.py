"""Engineering signals from single files: tests, README, license, notebooks, CI.

Pure functions over a path and the file's text, so each is tested without git. Nothing is
executed: Python is read with ``ast.parse`` (a parser, not an interpreter), notebooks with
``json.loads``, and a file that does not parse counts by the safer fallback or not at all.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

# -- tests --------------------------------------------------------------------------------

_PY_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test|tests)\.py$")
_TEST_DIR = re.compile(r"(^|/)(tests?|testing)/")
_JS_TEST_FILE = re.compile(r"\.(test|spec)\.[cm]?[jt]sx?$")
_GO_TEST_FILE = re.compile(r"_test\.go$")
_JS_TEST_CALL = re.compile(r"^\s*(?:it|test)(?:\.each\([^)]*\))?\s*\(", re.MULTILINE)
_GO_TEST_FUNC = re.compile(r"^func Test\w*\(", re.MULTILINE)
_PY_TEST_DEF = re.compile(r"^\s*(?:async\s+)?def test\w*\s*\(", re.MULTILINE)


def is_test_file(path: str) -> bool:
    """A Python file named ``test_*.py``, ``*_test.py`` or ``tests.py``, or any Python file
    under a ``test/``, ``tests/`` or ``testing/`` directory (``__init__.py`` and
    ``conftest.py`` aside); ``*.test.js``/``*.spec.ts`` and ``*_test.go``."""
    lower = path.casefold()
    if lower.endswith(".py"):
        name = lower.rpartition("/")[2]
        return bool(_PY_TEST_FILE.search(lower)) or (
            bool(_TEST_DIR.search(lower)) and name not in ("__init__.py", "conftest.py")
        )
    return bool(_JS_TEST_FILE.search(lower) or _GO_TEST_FILE.search(lower))


def is_test_path(path: str) -> bool:
    """A test file, or any file in a test directory (fixtures, ``conftest.py``, data)."""
    lower = path.casefold()
    return (
        is_test_file(path)
        or bool(_TEST_DIR.search(lower))
        or lower.rpartition("/")[2] == "conftest.py"
        or bool(re.search(r"(^|/)(fixtures?|__fixtures__|testdata)/", lower))
    )


def count_tests(path: str, text: str) -> int:
    """Test functions in one file; a file named like a test that holds none counts zero."""
    if path.casefold().endswith(".py"):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return len(_PY_TEST_DEF.findall(text))
        count = 0
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test"
            ):
                count += 1
        return count
    if path.endswith(".go"):
        return len(_GO_TEST_FUNC.findall(text))
    return len(_JS_TEST_CALL.findall(text))


# -- CI -----------------------------------------------------------------------------------

_CI = (
    (re.compile(r"^\.github/workflows/[^/]+\.ya?ml$"), "github-actions"),
    (re.compile(r"^\.gitlab-ci\.ya?ml$"), "gitlab-ci"),
    (re.compile(r"^\.circleci/config\.ya?ml$"), "circleci"),
    (re.compile(r"^\.travis\.ya?ml$"), "travis-ci"),
    (re.compile(r"^Jenkinsfile$"), "jenkins"),
    (re.compile(r"^azure-pipelines\.ya?ml$"), "azure-pipelines"),
    (re.compile(r"^bitbucket-pipelines\.ya?ml$"), "bitbucket-pipelines"),
    (re.compile(r"^\.drone\.ya?ml$"), "drone"),
    (re.compile(r"^\.woodpecker(\.ya?ml|/[^/]+\.ya?ml)$"), "woodpecker"),
    (re.compile(r"^\.buildkite/"), "buildkite"),
)


def ci_system(path: str) -> str | None:
    for pattern, name in _CI:
        if pattern.search(path):
            return name
    return None


# Commands that run a test suite, as CI files write them.
_TEST_COMMAND = re.compile(
    r"(?<![\w-])(?:pytest|py\.test|nose2|nosetests|python3?\s+-m\s+unittest|unittest\s+discover|"
    r"tox|nox|manage\.py\s+test|(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test|npx\s+(?:jest|vitest)|"
    r"jest|vitest|mocha|go\s+test|cargo\s+(?:test|nextest)|make\s+(?:test|check)|"
    r"hatch\s+(?:run\s+)?test|ctest|mvn\b[^\n]*\b(?:test|verify)|gradlew?\b[^\n]*\btest|rspec|"
    r"phpunit|dotnet\s+test|Rscript\b[^\n]*testthat)(?![\w-])",
)


def ci_runs_tests(text: str) -> bool:
    """Whether a CI file runs a test command (comments aside)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("#", "//")):
            continue
        if _TEST_COMMAND.search(stripped):
            return True
    return False


# -- what a file is: code, data, notebook, vendored ---------------------------------------

_DATA_SUFFIXES = frozenset(
    {
        ".csv",
        ".tsv",
        ".psv",
        ".jsonl",
        ".ndjson",
        ".arff",
        ".dat",
        ".data",
        ".libsvm",
        ".svmlight",
        ".geojson",
        ".conll",
        ".vcf",
        ".fasta",
        ".fa",
        ".fastq",
        ".sdf",
        ".mtx",
    }
)
# Text that is data when it sits in a data directory.
_DATA_DIR = re.compile(r"(^|/)(data|datasets?|raw|processed|inputs?|corpus|corpora)/", re.I)
_DATA_IN_DIR = frozenset({".json", ".txt", ".xml", ".yaml", ".yml", ".sql", ".html"})
_VENDORED_DIR = re.compile(
    r"(^|/)(vendor|vendored|third[_-]?party|node_modules|bower_components|site-packages|"
    r"\.venv|venv|env/lib|\.tox|dist-packages|external|extern)/",
    re.I,
)
_GENERATED_NAME = re.compile(
    r"(\.min\.(js|css)|\.bundle\.js|(^|/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|"
    r"pnpm-lock\.ya?ml|poetry\.lock|pipfile\.lock|uv\.lock|pdm\.lock|cargo\.lock|"
    r"composer\.lock|gemfile\.lock|go\.sum|conda-lock\.ya?ml))$",
    re.I,
)

CODE, DATA, NOTEBOOK, VENDORED = "code", "data", "notebook", "vendored"


def file_kind(path: str) -> str:
    """``notebook`` (``.ipynb``), ``vendored`` (third-party directories, minified bundles,
    lock files), ``data`` (CSV, TSV, JSON lines, ARFF … anywhere; JSON, text, XML, YAML, SQL
    and HTML inside a ``data/``, ``dataset(s)/``, ``raw/``, ``processed/``, ``input(s)/``,
    ``corpus/`` directory), else ``code`` (source, configuration, documentation)."""
    lower = path.casefold()
    if lower.endswith(".ipynb"):
        return NOTEBOOK
    if _VENDORED_DIR.search(lower) or _GENERATED_NAME.search(lower):
        return VENDORED
    suffix = PurePosixPath(lower).suffix
    if suffix in _DATA_SUFFIXES or (suffix in _DATA_IN_DIR and _DATA_DIR.search(lower)):
        return DATA
    return CODE


# -- environment and container files ------------------------------------------------------

_ENV_NAMES = frozenset(
    {
        "dockerfile",
        "containerfile",
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
        "environment.yml",
        "environment.yaml",
        ".python-version",
        "runtime.txt",
        ".tool-versions",
        "flake.nix",
        "shell.nix",
        "devcontainer.json",
        "apptainer.def",
        "singularity.def",
    }
)


def is_environment_file(path: str) -> bool:
    name = PurePosixPath(path).name.casefold()
    return name in _ENV_NAMES or name.startswith("dockerfile.") or name.endswith(".dockerfile")


# -- README -------------------------------------------------------------------------------

_README = re.compile(r"^readme(\.(md|markdown|rst|txt|org|adoc))?$", re.IGNORECASE)
_SECTIONS = {
    "install": re.compile(r"install|setup|set up|getting started|requirements|quick ?start", re.I),
    "usage": re.compile(r"usage|how to (use|run)|running|example|quick ?start|inference", re.I),
    "results": re.compile(r"results?|evaluation|benchmark|metrics|performance|findings", re.I),
}
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def is_readme(path: str) -> bool:
    return "/" not in path and bool(_README.match(path))


def headings(text: str) -> list[str]:
    found: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = _MD_HEADING.match(line)
        if match:
            found.append(match.group(1))
        elif i and _RST_UNDERLINE.match(line) and lines[i - 1].strip():
            found.append(lines[i - 1].strip())
    return found


def readme_sections(text: str) -> list[str]:
    heads = headings(text)
    return [key for key, pattern in _SECTIONS.items() if any(pattern.search(h) for h in heads)]


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# -- license ------------------------------------------------------------------------------

_LICENSE_FILE = re.compile(r"^(licen[cs]e|copying|unlicense)([.-][^/]*)?$", re.IGNORECASE)
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+-]+)")
# The first match wins; more specific texts come first.
_LICENSE_TEXTS = (
    ("AGPL-3.0", re.compile(r"GNU AFFERO GENERAL PUBLIC LICENSE", re.I)),
    ("LGPL-3.0", re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3", re.I)),
    ("LGPL-2.1", re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1", re.I)),
    ("GPL-3.0", re.compile(r"GNU GENERAL PUBLIC LICENSE\s+Version 3", re.I)),
    ("GPL-2.0", re.compile(r"GNU GENERAL PUBLIC LICENSE\s+Version 2", re.I)),
    ("Apache-2.0", re.compile(r"Apache License,?\s+Version 2\.0", re.I)),
    ("MPL-2.0", re.compile(r"Mozilla Public License,?\s+(Version|v\.?)\s*2\.0", re.I)),
    ("MIT", re.compile(r"Permission is hereby granted, free of charge", re.I)),
    ("BSD-3-Clause", re.compile(r"Neither the name of .{0,200}? nor the names", re.I | re.S)),
    ("BSD-2-Clause", re.compile(r"Redistributions in binary form must reproduce", re.I)),
    ("ISC", re.compile(r"Permission to use, copy, modify, and/or distribute", re.I)),
    ("Unlicense", re.compile(r"This is free and unencumbered software", re.I)),
    ("CC0-1.0", re.compile(r"CC0 1\.0|Creative Commons Zero", re.I)),
    ("CC-BY-4.0", re.compile(r"Creative Commons Attribution 4\.0", re.I)),
)
# Names as people write them in a README's license section.
_LICENSE_NAMES = (
    ("AGPL-3.0", re.compile(r"\bAGPL[- ]?(v?3|3\.0)\b", re.I)),
    ("LGPL-3.0", re.compile(r"\bLGPL[- ]?(v?3|3\.0)\b", re.I)),
    (
        "GPL-3.0",
        re.compile(r"\bGPL[- ]?(v?3|3\.0)\b|GNU General Public License v(ersion )?3", re.I),
    ),
    ("GPL-2.0", re.compile(r"\bGPL[- ]?(v?2|2\.0)\b", re.I)),
    (
        "Apache-2.0",
        re.compile(r"\bApache(?:[- ]License,?)?[- ]?(?:v(?:ersion)?\s?)?2(?:\.0)?\b", re.I),
    ),
    ("MPL-2.0", re.compile(r"\bMPL[- ]?2(\.0)?\b", re.I)),
    ("BSD-3-Clause", re.compile(r"\bBSD[- ]3[- ]Clause\b|\b3-clause BSD\b", re.I)),
    ("BSD-2-Clause", re.compile(r"\bBSD[- ]2[- ]Clause\b|\b2-clause BSD\b", re.I)),
    ("MIT", re.compile(r"\bMIT\b")),
    ("Unlicense", re.compile(r"\bUnlicense\b", re.I)),
    ("CC-BY-4.0", re.compile(r"\bCC[- ]BY[- ]4\.0\b", re.I)),
    ("CC0-1.0", re.compile(r"\bCC0\b", re.I)),
)


def is_license_file(path: str) -> bool:
    return "/" not in path and bool(_LICENSE_FILE.match(path))


def license_from_text(text: str) -> str | None:
    tag = _SPDX_TAG.search(text)
    if tag:
        return tag.group(1)
    for spdx, pattern in _LICENSE_TEXTS:
        if pattern.search(text):
            return spdx
    return None


def license_from_readme(text: str) -> str | None:
    """The license a README's "License" section names, if it names one."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        heading = _MD_HEADING.match(line)
        title = heading.group(1) if heading else None
        if title is None and i + 1 < len(lines) and _RST_UNDERLINE.match(lines[i + 1]):
            title = line.strip()
        if title and re.search(r"licen[cs]e", title, re.I):
            body = "\n".join(lines[i + 1 : i + 15])
            for spdx, pattern in _LICENSE_NAMES:
                if pattern.search(body):
                    return spdx
    tag = _SPDX_TAG.search(text)
    return tag.group(1) if tag else None


# -- notebooks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Notebook:
    readable: bool
    code_cells: int = 0
    with_outputs: bool = False
    code: tuple[tuple[int, str], ...] = ()  # (cell number, source) of code cells


def read_notebook(data: bytes) -> Notebook:
    """Code cells of an ``.ipynb``; anything malformed is unreadable, never an exception."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError, MemoryError):
        return Notebook(readable=False)
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        # nbformat 3 kept cells in worksheets
        sheets = document.get("worksheets") if isinstance(document, dict) else None
        cells = []
        if isinstance(sheets, list):
            for sheet in sheets:
                if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                    cells.extend(sheet["cells"])
        if not cells:
            return Notebook(readable=isinstance(document, dict) and "cells" not in document)
    code: list[tuple[int, str]] = []
    outputs = False
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if not isinstance(source, str):
            source = ""
        code.append((number, source))
        if isinstance(cell.get("outputs"), list) and cell["outputs"]:
            outputs = True
    return Notebook(readable=True, code_cells=len(code), with_outputs=outputs, code=tuple(code))
