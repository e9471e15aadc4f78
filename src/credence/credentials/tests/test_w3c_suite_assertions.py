"""The assertions of the W3C test suites for eddsa-rdfc-2022 (w3c/vc-di-eddsa-test-suite,
tests/suites/data-model.js and algorithms.js) and for Data Integrity verifiers
(w3c-ccg/data-integrity-test-suite-assertion, suites/verify.js), as tests of our own, offline.
Each test's docstring quotes the suite's test name. Those suites run against a VC API
endpoint; these tests put the same inputs to Credence's verifier (``dataintegrity.verify``,
``verification.key_resolver``) and signer (``dataintegrity.sign``) directly.

The issued credential is the W3C vector's unsigned credential signed by the vector's did:key.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

import pytest

from credence.credentials import dataintegrity, multikey
from credence.credentials.dataintegrity import ProofError
from credence.credentials.openbadges import build_credential
from credence.credentials.tests.test_dataintegrity import (
    KEYS,
    PRIVATE,
    UTC_SECONDS,
    _facts,
    did_key_resolver,
    vector_json,
)
from credence.credentials.verification import key_resolver

METHOD = f"did:key:{KEYS['publicKeyMultibase']}#{KEYS['publicKeyMultibase']}"


def issued(document: dict[str, Any] | None = None, **proof: Any) -> dict[str, Any]:
    """``document`` (the vector's unsigned credential) signed with a proof of the usual
    fields, as ``proof`` changes them (None leaves a field out), signature included."""
    document = copy.deepcopy(document or vector_json("unsigned.json"))
    fields = {
        "type": dataintegrity.PROOF_TYPE,
        "cryptosuite": dataintegrity.CRYPTOSUITE,
        "created": "2026-05-06T22:00:00Z",
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
        **proof,
    }
    fields = {key: value for key, value in fields.items() if value is not None}
    _, _, data = dataintegrity.hash_data(
        document, dataintegrity.proof_configuration(document, fields)
    )
    return {
        **document,
        "proof": {**fields, "proofValue": multikey.multibase_encode(PRIVATE.sign(data))},
    }


def refused(document: Any) -> str:
    with pytest.raises(ProofError) as error:
        dataintegrity.verify(document, did_key_resolver)
    return str(error.value)


def test_the_issued_credential_verifies():
    assert dataintegrity.verify(issued(), did_key_resolver)["verificationMethod"] == METHOD


# --- w3c-ccg/data-integrity-test-suite-assertion, suites/verify.js ---------------------------


def test_if_either_secured_document_or_its_proof_is_not_a_map_an_error_is_raised():
    """If either securedDocument is not a map or securedDocument.proof is not a map, an error
    MUST be raised and SHOULD convey an error type of PARSING_ERROR."""
    no_map = issued()
    no_map["proof"] = None
    assert refused(no_map) == "the credential has no proof"
    no_map["proof"] = "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk"
    assert refused(no_map) == "the credential has no proof"
    assert refused('{"@context": []}') == "the credential is not a JSON object"


@pytest.mark.parametrize("field", ["type", "verificationMethod", "proofPurpose"])
def test_if_proof_type_verification_method_or_purpose_does_not_exist_an_error_is_raised(field):
    """If one or more of proof.type, proof.verificationMethod, and proof.proofPurpose does not
    exist, an error MUST be raised and SHOULD convey an error type of
    PROOF_VERIFICATION_ERROR."""
    refused(issued(**{field: None}))
    without_proof = issued()
    del without_proof["proof"]
    assert refused(without_proof) == "the credential has no proof"


@pytest.mark.parametrize("proof_type", ["Ed25519Signature2020", "dataintegrityproof"])
def test_the_type_property_must_contain_the_string_data_integrity_proof(proof_type):
    """The type property MUST contain the string DataIntegrityProof. (Also: Conforming
    processors MUST produce errors when non-conforming documents are consumed.)"""
    assert "unsupported proof" in refused(issued(type=proof_type))


def test_a_proof_purpose_other_than_the_expected_one_is_an_error():
    """If expectedProofPurpose was given, and it does not match proof.proofPurpose, an error
    MUST be raised and SHOULD convey an error type of PROOF_VERIFICATION_ERROR."""
    assert "assertionMethod" in refused(issued(proofPurpose="authentication"))


@pytest.mark.parametrize(
    "proof_value, why",
    [
        (None, "not base58btc"),  # no proofValue at all
        ("", "not base58btc"),
        ("uSGVsbG8", "not base58btc"),  # base64url multibase header
        ("z" + "1" * 40, "not an Ed25519 signature"),  # base58btc, but not 64 bytes
    ],
)
def test_the_proof_value_must_be_used_and_be_a_base58btc_multibase_value(proof_value, why):
    """The proofValue property MUST be used, as specified in 2.1 Proofs. ("proof.proofValue")
    A string value that contains the base-encoded binary data necessary to verify the digital
    proof using the verificationMethod specified. The contents of the value MUST be expressed
    with a header and encoding as described in Section 2.4 Multibase of the Controller
    Documents 1.0 specification."""
    credential = issued()
    if proof_value is None:
        del credential["proof"]["proofValue"]
    else:
        credential["proof"]["proofValue"] = proof_value
    assert why in refused(credential)


def test_data_dropped_by_json_ld_processing_is_an_error():
    """Implementations that use JSON-LD processing, such as RDF Dataset Canonicalization
    [RDF-CANON], MUST throw an error, which SHOULD be DATA_LOSS_DETECTION_ERROR, when data is
    dropped by a JSON-LD processor, such as when an undefined term is detected in an input
    document."""
    # an Open Badge: its contexts define no catch-all vocabulary (the W3C examples' does)
    badge = build_credential(_facts(issuer_did=METHOD.split("#")[0]))
    del badge["credentialStatus"]
    assert dataintegrity.verify(issued(badge), did_key_resolver)
    added_term = issued(badge)
    added_term["credentialSubject"]["undefinedTerm"] = "IfDroppedWillVerify"
    added_type = issued(badge)
    added_type["type"].append("UndefinedType")
    for credential in (added_term, added_type):
        assert "cannot be canonicalized" in refused(credential)


@pytest.mark.parametrize("cryptosuite", ["eddsa-jcs-2022", "ecdsa-rdfc-2019", "", ["x"]])
def test_the_cryptosuite_must_be_a_string_naming_the_suite(cryptosuite):
    """The value of the cryptosuite property MUST be a string that identifies the
    cryptographic suite. If the processing environment supports subtypes of string, the type
    of the cryptosuite value MUST be the https://w3id.org/security#cryptosuiteString subtype
    of string."""
    assert "unsupported proof" in refused(issued(cryptosuite=cryptosuite))


def test_created_is_optional_and_otherwise_a_date_time_stamp():
    """The date and time the proof was created is OPTIONAL and, if included, MUST be specified
    as an [XMLSCHEMA11-2] dateTimeStamp string, either in Universal Coordinated Time (UTC),
    denoted by a Z at the end of the value, or with a time zone offset relative to UTC."""
    assert "created" not in dataintegrity.verify(issued(created=None), did_key_resolver)
    assert dataintegrity.verify(issued(created="2026-05-07T00:00:00+02:00"), did_key_resolver)
    assert "creation time" in refused(issued(created="invalidDate"))


def test_created_serialized_without_an_offset_is_consumed():
    """(created) A conforming processor MAY chose to consume time values that were incorrectly
    serialized without an offset. (Optional in the suite; Credence reads such a value as UTC.)"""
    assert dataintegrity.verify(issued(created="2026-05-06T22:00:00"), did_key_resolver)


def test_no_relative_iri_is_resolved_against_a_base_url():
    """When deserializing to RDF, implementations MUST ensure that the base URL is set to
    null. (The suite removes a context that set @base from a signed credential. Credence goes
    further: it refuses a relative IRI whatever the contexts say, so a credential that relies
    on a base URL never verifies.)"""
    for base in ([], [{"@base": "https://base.example/"}]):
        credential = issued()
        credential["@context"] = [*credential["@context"], *base]
        credential["credentialSubject"]["id"] = "subjects/ada"
        assert "not an absolute IRI" in refused(credential)


# --- w3c/vc-di-eddsa-test-suite: eddsa-rdfc-2022 --------------------------------------------


def test_a_signature_over_another_digest_is_not_verified():
    """eddsa-rdfc-2022 Proof Serialization and Verification: the signature is over
    SHA-256(canonical proof configuration) followed by SHA-256(canonical document); one made
    over the document's hash alone, or over a JCS serialization, does not verify."""
    credential = issued()
    config, document, _ = dataintegrity.hash_data(
        {k: v for k, v in credential.items() if k != "proof"},
        dataintegrity.proof_configuration(credential, credential["proof"]),
    )
    for data in (
        hashlib.sha256(document.encode()).digest(),
        hashlib.sha256(document.encode()).digest() + hashlib.sha256(config.encode()).digest(),
        hashlib.sha512(config.encode() + document.encode()).digest(),
    ):
        credential["proof"]["proofValue"] = multikey.multibase_encode(PRIVATE.sign(data))
        assert "signature does not match" in refused(credential)


def test_a_tampered_proof_is_not_verified():
    """A tampered proof does not verify: the proof configuration (every field of the proof
    but its value) is part of what is signed."""
    later = issued()
    later["proof"]["created"] = "2026-05-06T22:00:01Z"
    assert "signature does not match" in refused(later)
    added = issued()
    added["proof"]["nonce"] = "1234"  # a term the Data Integrity context defines
    assert "signature does not match" in refused(added)


@pytest.mark.parametrize(
    "public_key_multibase",
    [
        "u" + "A" * 46,  # a base64url header: any other encoding MUST NOT be allowed
        "z" + multikey.b58encode(b"\xed\x01" + b"\x00" * 31),  # 31 bytes
        "z" + multikey.b58encode(b"\xec\x01" + b"\x00" * 32),  # an X25519 key's multicodec
    ],
)
def test_the_public_key_multibase_is_base58btc_with_the_ed25519_header(public_key_multibase):
    """The publicKeyMultibase value of the verification method MUST start with the
    base-58-btc prefix (z), as defined in the Multibase section of Controller Documents 1.0.
    Any other encoding MUST NOT be allowed. (And the key is an Ed25519 public key: the
    multicodec header 0xed01 and 32 bytes.)"""
    did = "did:web:badges.other.example"
    documents = {
        did: {
            "id": did,
            "verificationMethod": [
                {
                    "id": f"{did}#key-1",
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": public_key_multibase,
                }
            ],
            "assertionMethod": [f"{did}#key-1"],
        }
    }
    with pytest.raises(ProofError, match="key-1"):
        key_resolver(documents)(f"{did}#key-1")


def test_what_credence_signs_meets_the_create_assertions():
    """The proof options MUST contain a type identifier for the cryptographic suite (type) and
    MUST contain a cryptosuite identifier (cryptosuite). The proofValue property of the proof
    MUST be a detached EdDSA signature produced according to [RFC8032], encoded using the
    base-58-btc header and alphabet. If proofConfig.created is set to a value that is not a
    valid [XMLSCHEMA11-2] datetime, an error MUST be raised."""
    document = vector_json("unsigned.json")
    created = datetime.fromisoformat("2026-05-06T22:00:00+00:00")
    proof = dataintegrity.sign(
        document, private_key=PRIVATE, verification_method=METHOD, created=created
    )["proof"]
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")
    assert proof["proofValue"].startswith("z")
    assert len(multikey.multibase_decode(proof["proofValue"])) == 64
    assert UTC_SECONDS.fullmatch(proof["created"])
    with pytest.raises(ValueError, match="timezone-aware"):
        dataintegrity.sign(
            document,
            private_key=PRIVATE,
            verification_method=METHOD,
            created=datetime(2026, 5, 6, 22),
        )
