"""Credence's credentials verified by independent software: Digital Bazaar's
jsonld-signatures with the eddsa-rdfc-2022 cryptosuite, the reference implementation behind
the W3C specification, run with Node.js (versions pinned in interop/package-lock.json)."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from credence.credentials import selectors, services
from credence.credentials.linkeddata import CONTEXTS_DIR

HERE = Path(__file__).parent / "interop"
FILES = ("package.json", "package-lock.json", "verify.mjs")


@pytest.fixture(scope="session")
def node_verifier():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(
            "The interoperability tests need Node.js and npm (Debian: apt-get install nodejs "
            "npm); they install the independent verifier from the npm registry.",
            pytrace=False,
        )
    digest = hashlib.sha256(b"".join((HERE / f).read_bytes() for f in FILES)).hexdigest()[:16]
    work = Path(settings.VAR_DIR) / "interop-node" / digest
    if not work.exists():
        # Installed beside it and renamed into place, so that test workers starting at once
        # never see (or write into) a half-installed verifier: the first rename wins.
        work.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=work.parent))
        for name in FILES:
            shutil.copy(HERE / name, staging / name)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=staging,
            check=True,
            timeout=600,
            capture_output=True,
        )
        try:
            staging.rename(work)
        except OSError:  # another worker's install is in place
            shutil.rmtree(staging)

    def verify(document: dict, did_document: dict | None, tmp: Path) -> dict:
        (tmp / "credential.json").write_text(json.dumps(document))
        did_path = "-"
        if did_document is not None:
            (tmp / "did.json").write_text(json.dumps(did_document))
            did_path = str(tmp / "did.json")
        result = subprocess.run(
            [
                node,
                str(work / "verify.mjs"),
                str(tmp / "credential.json"),
                did_path,
                str(CONTEXTS_DIR),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    return verify


def test_the_independent_verifier_accepts_the_w3c_vector(node_verifier, tmp_path):
    signed = json.loads((Path(__file__).parent / "vectors" / "signedDataInt.json").read_text())
    assert node_verifier(signed, None, tmp_path)["verified"] is True


def test_our_open_badge_verifies_independently_and_fails_when_changed(
    node_verifier, certificate, tmp_path
):
    credential = services.credential_issue(certificate=certificate)
    did_document = selectors.did_document()
    assert node_verifier(credential, did_document, tmp_path) == {"verified": True, "error": None}
    tampered = copy.deepcopy(credential)
    tampered["validUntil"] = "2040-01-01T00:00:00Z"
    assert node_verifier(tampered, did_document, tmp_path)["verified"] is False


def test_our_status_list_and_rotated_keys_verify_independently(
    node_verifier, certificate, office, tmp_path
):
    credential = services.credential_issue(certificate=certificate)
    services.signing_key_rotate(acting_user=office)
    services.certificate_revoke(certificate=certificate, reason="test", acting_user=office)
    did_document = selectors.did_document()
    assert node_verifier(credential, did_document, tmp_path)["verified"] is True
    listing = selectors.status_list_credential("revocation")
    assert node_verifier(listing, did_document, tmp_path)["verified"] is True
