#!/usr/bin/env python3
"""Set up and run Credence on a machine with nothing but Python >= 3.11.

    python3 dev.py demo     set up, then run the demo on http://127.0.0.1:8000
    python3 dev.py test     set up, then run the whole test suite (browser tests included)

Both create a virtual environment in .venv and install the project into it (again only when
pyproject.toml changed). Extra arguments go to the command: `python3 dev.py test -k rules`,
`python3 dev.py demo --no-serve`. Set DATABASE_URL=postgres://... to use PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
CHROMIUM = Path(os.environ.get("CREDENCE_CHROMIUM", "/usr/bin/chromium"))


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by any python3
        sys.exit(f"Credence needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    # One environment for the demo and the tests; reinstalled only when pyproject.toml changes.
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".credence-installed"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing Credence and its dependencies into .venv ...", flush=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
    stamp.write_text(digest)


def apt_install(packages: list[str], why: str, hint: str) -> None:
    """Install Debian packages when we may (root with apt), else say what to install."""
    apt = shutil.which("apt-get")
    if not (apt and os.geteuid() == 0):
        sys.exit(f"{why} Install Debian's {' and '.join(packages)} ({hint}).")
    print(f"Installing Debian's {' '.join(packages)}: {why}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], check=True, env=env)
    subprocess.run([apt, "install", "-y", "-qq", *packages], check=True, env=env)


def ensure_test_tools() -> None:
    # Browser journeys drive Debian's chromium; the credential tests check our signatures with
    # an independent verifier on Node.js (src/credence/credentials/tests/interop).
    if not CHROMIUM.exists():
        apt_install(
            ["chromium"],
            f"the browser tests need Chromium at {CHROMIUM}.",
            "sudo apt-get install chromium, or set CREDENCE_CHROMIUM to its path",
        )
    if not (shutil.which("node") and shutil.which("npm")):
        apt_install(
            ["nodejs", "npm"],
            "the credential tests need Node.js and npm for an independent verifier.",
            "sudo apt-get install nodejs npm",
        )


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test"}:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "demo":
        ensure_venv()
        os.execv(BIN / "credence", [str(BIN / "credence"), "demo", *rest])
    ensure_venv()
    ensure_test_tools()
    os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
