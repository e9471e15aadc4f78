#!/usr/bin/env python3
"""Set up and run Credence on a machine with nothing but Python >= 3.11.

    python3 dev.py demo     set up, then run the demo on http://127.0.0.1:8000
    python3 dev.py test     set up, then run the whole test suite (browser tests included)
    python3 dev.py lock     write requirements.lock again from pyproject.toml (--upgrade: newest)

Both create a virtual environment in .venv and install exactly the packages of
requirements.lock into it, checked against their hashes (again only when the lock or
pyproject.toml changed). Extra arguments go to the command: `python3 dev.py test -k rules`,
`python3 dev.py demo --no-serve`. Set DATABASE_URL=postgres://... to use PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCK = ROOT / "requirements.lock"
CHROMIUM = Path(os.environ.get("CREDENCE_CHROMIUM", "/usr/bin/chromium"))


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def read_lock() -> list[str]:
    """The lock's requirement names, after checking every entry is pinned and hashed.

    A broken lock stops here, before anything in .venv is touched, with the line to look at."""
    if not LOCK.exists():
        sys.exit(f"{LOCK.name} is missing: run `python3 dev.py lock` to create it.")
    names, problems = [], []
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        start, entry = number + 1, lines[number]
        while entry.endswith("\\") and number + 1 < len(lines):
            number += 1
            entry = entry[:-1] + " " + lines[number]
        number += 1
        requirement = entry.split("#", 1)[0].strip()
        if not requirement:
            continue
        pinned = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==[^\s;]+(\s*;[^-]+)?\s", requirement + " ")
        if not pinned:
            problems.append(f"{LOCK.name}:{start}: not pinned as name==version: {entry!r}")
        elif not re.search(r"--hash=sha256:[0-9a-f]{64}", requirement):
            problems.append(f"{LOCK.name}:{start}: {pinned[1]} has no --hash=sha256:...")
        else:
            names.append(normalize(pinned[1]))
    wanted = project_requirements()
    problems += [
        f"{LOCK.name}: pyproject.toml asks for {name}, which the lock lacks"
        for name in sorted(wanted - set(names))
    ]
    if problems:
        sys.exit("\n".join([*problems, "Run `python3 dev.py lock` to write the lock again."]))
    return names


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = [
        *project["build-system"]["requires"],
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["test"],
    ]
    names = set()
    for spec in specs:
        name = re.match(r"[A-Za-z0-9._-]+", spec)
        if name is None:
            sys.exit(f"pyproject.toml: {spec!r} does not start with a package name.")
        names.add(normalize(name[0]))
    return names


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by any python3
        sys.exit(f"Credence needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    read_lock()
    # One environment for the demo and the tests, installed from the lock: exactly the pinned
    # versions with their hashes, so a clone today and next month get the same packages. It is
    # made anew whenever the lock or pyproject.toml changes, so nothing unlocked lingers in it.
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    stamp = VENV / ".credence-installed"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    if VENV.exists():
        shutil.rmtree(VENV)
    print(f"Creating {VENV} and installing the locked dependencies ...", flush=True)
    venv.create(VENV, with_pip=True)
    pip: list[str | Path] = [
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    run(*pip, "--require-hashes", "--no-deps", "--only-binary", ":all:", "-r", LOCK)
    run(*pip, "--no-deps", "--no-build-isolation", "--no-index", "-e", ".")
    stamp.write_text(digest.hexdigest())


def lock(args: list[str]) -> None:
    """Resolve requirements.lock from pyproject.toml for every supported Python (3.11 and up).

    Without --upgrade the pins already in the lock are kept where the ranges allow; with it,
    every package moves to its newest allowed release. Either way it is a deliberate commit."""
    if not (BIN / "uv").exists():
        # The lock may be the broken thing, so uv comes in by itself: its pinned version and
        # hashes when the lock has them, else the newest release.
        if not (BIN / "python").exists():
            venv.create(VENV, with_pip=True)
        text = LOCK.read_text(encoding="utf-8") if LOCK.exists() else ""
        pinned = re.search(r"^uv==\S+(?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+", text, re.M)
        spec = ["--require-hashes", "-r", "/dev/stdin"] if pinned else ["uv"]
        subprocess.run(
            [str(BIN / "python"), "-m", "pip", "install", "--quiet", *spec],
            input=pinned[0] + "\n" if pinned else None,
            text=True,
            check=True,
            cwd=ROOT,
        )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build = "\n".join(project["build-system"]["requires"]) + "\n"
    subprocess.run(
        [
            str(BIN / "uv"),
            "pip",
            "compile",
            "pyproject.toml",
            "-",
            "--extra",
            "test",
            "--universal",
            "--python-version",
            "3.11",
            "--generate-hashes",
            "--no-header",
            "--output-file",
            LOCK.name,
            "--quiet",
            *args,
        ],
        input=build,
        text=True,
        check=True,
        cwd=ROOT,
    )
    print(f"Wrote {LOCK.name}; review and commit it.")


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
    if not argv or argv[0] not in {"demo", "test", "lock"}:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "lock":
        lock(rest)
        return
    if command == "demo":
        ensure_venv()
        os.execv(BIN / "credence", [str(BIN / "credence"), "demo", *rest])
    ensure_venv()
    ensure_test_tools()
    # On every core (pytest-xdist), a file's tests on one worker so that module fixtures (a
    # demo set up once) are shared; `-n 0` runs in this process. Test order is random
    # (pytest-randomly; `-p no:randomly` turns it off), its seed printed for a rerun.
    chosen = any(re.fullmatch(r"-n\w*|--numprocesses(=.*)?", arg) for arg in rest)
    parallel = [] if chosen else ["-n", "auto", "--dist", "loadfile"]
    os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", *parallel, *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
