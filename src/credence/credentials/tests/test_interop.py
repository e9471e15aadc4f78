"""Credence's credentials verified by independent software, run with Node.js (versions pinned
in interop/package-lock.json): Digital Bazaar's jsonld-signatures with the eddsa-rdfc-2022
cryptosuite, the reference implementation behind the W3C specification, and the Digital
Credentials Consortium's @digitalcredentials/vc, the verifier of its wallet and verifier
apps. Every test runs against each."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from credence.credentials import dataintegrity, selectors, services
from credence.credentials.linkeddata import CONTEXTS_DIR
from credence.credentials.tests import interop_node
from credence.credentials.tests.conftest import signed_with_two_entries
from credence.credentials.tests.test_dataintegrity import did_key_resolver, signed_at
from credence.credentials.verification import verify_credential


@pytest.fixture(scope="session", params=["verify.mjs", "verify-dcc.mjs"])
def node_verifier(request):
    try:
        node = interop_node.node()
    except interop_node.NodeMissing as error:
        pytest.fail(str(error), pytrace=False)
    work = interop_node.install(Path(settings.VAR_DIR))

    def verify(document: dict, did_document: dict | None, tmp: Path) -> dict:
        (tmp / "credential.json").write_text(json.dumps(document))
        did_path = "-"
        if did_document is not None:
            (tmp / "did.json").write_text(json.dumps(did_document))
            did_path = str(tmp / "did.json")
        result = subprocess.run(
            [
                node,
                str(work / request.param),
                str(tmp / "credential.json"),
                did_path,
                str(CONTEXTS_DIR),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    # the consortium's verifier also requires the key's controller to be the issuer, as
    # Credence's verify_credential does; Digital Bazaar's checks the proof alone
    verify.checks_issuer = request.param == "verify-dcc.mjs"  # type: ignore[attr-defined]
    return verify


def test_the_independent_verifier_accepts_the_w3c_vector(node_verifier, tmp_path):
    signed = json.loads((Path(__file__).parent / "vectors" / "signedDataInt.json").read_text())
    verdict = node_verifier(signed, None, tmp_path)
    if not node_verifier.checks_issuer:
        assert verdict["verified"] is True
        return
    # its issuer is https://vc.example/issuers/5678, its key a did:key: both refuse the pair
    assert verdict == {
        "verified": False,
        "error": "Error: Credential issuer must match the verification method controller.",
    }
    ours = verify_credential(signed, now=timezone.now())
    signer = signed["proof"]["verificationMethod"].split("#")[0]
    assert ours.problems == (f"the credential was signed by {signer}, not by its issuer",)


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
    # the message list of the credentials signed now, the two of those signed before 0049
    for purpose in ("message", "revocation", "suspension"):
        listing = selectors.status_list_credential(purpose)
        assert node_verifier(listing, did_document, tmp_path)["verified"] is True


def test_a_credential_signed_with_two_status_entries_still_verifies_independently(
    node_verifier, certificate, tmp_path
):
    credential = signed_with_two_entries(certificate)
    assert node_verifier(credential, selectors.did_document(), tmp_path) == {
        "verified": True,
        "error": None,
    }


def test_a_proof_created_with_fractional_seconds_verifies_here_and_independently(
    node_verifier, tmp_path
):
    # the independent verifier accepts such a proof; so must ours (issue 18)
    signed = signed_at("2026-05-06T22:00:00.123Z")

    assert node_verifier(signed, None, tmp_path) == {"verified": True, "error": None}
    assert dataintegrity.verify(signed, did_key_resolver)["created"] == "2026-05-06T22:00:00.123Z"
