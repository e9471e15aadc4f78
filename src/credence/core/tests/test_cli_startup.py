"""``credence --help`` and every ``credence COMMAND [ACTION] --help`` start without the heavy
libraries (issue 14): they are imported where they are used, so that a command's help, shell
completion and the quick commands do not pay a second of CPU for numpy, scipy, pyld or
pydantic. Start-up *time* is a benchmark's business (bench/cli_help.py); this checks its cause.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# the libraries that cost a tenth of a second or more to import, with what pulls them in
HEAVY = (
    "numpy",
    "scipy",
    "matplotlib",
    "tqdm",  # psychometrics
    "pyld",
    "lxml",
    "requests",  # credentials (JSON-LD)
    "pydantic",
    "ftfy",  # the program file's schema
    "ninja",  # the API
    "fpdf",
    "segno",  # PDFs
    "detect_secrets",
    "yaml",  # portfolios
    "cryptography",  # the credential services and selectors, with what else they import
)

# Builds the parser of every command and of each of its actions, as `credence X Y --help`
# does, and prints which heavy libraries are loaded by then.
WALK = """
import argparse, json, sys
import django
django.setup()
from django.core.management import get_commands, load_command_class

lines = []
for name, app in sorted(get_commands().items()):
    parser = load_command_class(app, name).create_parser("credence", name)
    parser.format_help()
    lines.append(name)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                subparser.format_help()
                lines.append(f"{name} {sub}")
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))
print(json.dumps({"commands": lines, "heavy": heavy}))
"""


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CREDENCE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "credence.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    """The top-level packages the real console script imports for ``credence *args``."""
    finished = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "credence", *args],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "credence" in finished.stdout  # the help was printed
    # "import time:  self |  cumulative | module" lines; the header line has no module name
    return {
        line.rpartition("|")[2].strip().split(".")[0]
        for line in finished.stderr.splitlines()
        if line.startswith("import time:")
    }


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("psychometrics", "calibrate", "--help"),
        ("credentials", "verify", "--help"),
        ("program", "check", "--help"),
    ],
)
def test_the_help_of_a_command_loads_no_heavy_library(tmp_path: Path, args: tuple[str]) -> None:
    imported = imported_by(tmp_path, *args)
    assert "django" in imported  # the probe sees the imports
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_no_command_or_action_loads_a_heavy_library_for_its_help(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", WALK, *HEAVY],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    walked = json.loads(finished.stdout)
    assert {"psychometrics calibrate", "credentials verify", "portfolio analyze", "migrate"} <= (
        set(walked["commands"])
    )
    assert walked["heavy"] == []
