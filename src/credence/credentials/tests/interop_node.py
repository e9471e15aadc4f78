"""Two independent verifiers on Node.js, installed from the npm registry at the versions pinned
in interop/package-lock.json: Digital Bazaar's (jsonld-signatures with the eddsa-rdfc-2022
cryptosuite, verify.mjs) and the Digital Credentials Consortium's (@digitalcredentials/vc,
verify-dcc.mjs). The interoperability tests check our credentials with both; bench/verify.py
times Digital Bazaar's against ours."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent / "interop"
FILES = (
    "package.json",
    "package-lock.json",
    "loader.mjs",
    "verify.mjs",
    "verify-dcc.mjs",
    "bench.mjs",
)


class NodeMissing(RuntimeError):
    pass


def node() -> str:
    path, npm = shutil.which("node"), shutil.which("npm")
    if not path or not npm:
        raise NodeMissing(
            "The independent verifier needs Node.js and npm (Debian: apt-get install nodejs "
            "npm); it is installed from the npm registry."
        )
    return path


def npm_installed(sources: Path, files: tuple[str, ...], var_dir: Path, name: str) -> Path:
    """A folder ``var_dir/name/<digest>`` holding ``files`` of ``sources`` (a package.json, its
    lock file with integrity hashes, scripts) and what `npm ci` installs from them; installed
    once per digest of those files. Also used for the browser tests' axe-core."""
    digest = hashlib.sha256(b"".join((sources / f).read_bytes() for f in files)).hexdigest()[:16]
    work = var_dir / name / digest
    if not work.exists():
        # Installed beside it and renamed into place, so that test workers starting at once
        # never see (or write into) a half-installed package: the first rename wins.
        work.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=work.parent))
        for file in files:
            shutil.copy(sources / file, staging / file)
        subprocess.run(
            [str(shutil.which("npm")), "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=staging,
            check=True,
            timeout=600,
            capture_output=True,
        )
        try:
            staging.rename(work)
        except OSError:  # another worker's install is in place
            shutil.rmtree(staging)
    return work


def install(var_dir: Path) -> Path:
    """The folder with the installed verifier's scripts, installed under ``var_dir`` first if
    these sources were never installed there."""
    node()
    return npm_installed(HERE, FILES, var_dir, "interop-node")
