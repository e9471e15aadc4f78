"""eddsa-rdfc-2022 against the W3C specification's published test vector, step by step, and
the properties independent verifiers rely on."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyld import jsonld

from credence.credentials import dataintegrity, linkeddata, multikey
from credence.credentials.dataintegrity import ProofError
from credence.credentials.openbadges import CredentialFacts, EvidenceFacts, build_credential

VECTORS = Path(__file__).parent / "vectors"


def vector(name: str) -> str:
    return (VECTORS / name).read_text()


def vector_json(name: str) -> dict:
    return json.loads(vector(name))


KEYS = vector_json("keyPair.json")
PRIVATE = multikey.private_key_from_multikey(KEYS["privateKeyMultibase"])
CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
# how Credence writes its dates: UTC with a Z and whole seconds
UTC_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def did_key_resolver(method: str):
    from credence.credentials.verification import key_resolver

    return key_resolver({})(method)


def test_the_published_key_pair_is_read_as_multikey():
    assert multikey.public_multikey(PRIVATE.public_key()) == KEYS["publicKeyMultibase"]


def test_every_step_of_the_published_vector_is_reproduced_exactly():
    unsigned = vector_json("unsigned.json")
    config = vector_json("proofConfigDataInt.json")
    canonical_config, canonical_document, data = dataintegrity.hash_data(unsigned, config)
    assert canonical_config == vector("proofCanonDataInt.txt")
    assert canonical_document == vector("canonDocDataInt.txt")
    assert hashlib.sha256(canonical_config.encode()).hexdigest() == vector("proofHashDataInt.txt")
    assert hashlib.sha256(canonical_document.encode()).hexdigest() == vector("docHashDataInt.txt")
    # proof configuration hash first, then the document hash
    assert data.hex() == vector("combinedHashDataInt.txt")
    assert PRIVATE.sign(data).hex() == vector("sigHexDataInt.txt")


def test_signing_the_published_credential_gives_the_published_signed_credential():
    signed = dataintegrity.sign(
        vector_json("unsigned.json"),
        private_key=PRIVATE,
        verification_method=vector_json("proofConfigDataInt.json")["verificationMethod"],
        created=CREATED,
    )
    assert signed == vector_json("signedDataInt.json")
    assert signed["proof"]["proofValue"] == vector("sigBTC58DataInt.txt")


def test_the_published_signed_credential_verifies_with_its_did_key():
    proof = dataintegrity.verify(vector_json("signedDataInt.json"), did_key_resolver)
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"


def test_canonicalization_is_rdfc_1_0_not_the_older_urgna2012():
    # A credential with blank nodes: the two algorithms label them differently.
    document = build_credential(_facts())
    ours = linkeddata.canonicalize(document)
    options = {"documentLoader": linkeddata.document_loader, "format": "application/n-quads"}
    rdfc = jsonld.normalize(document, {**options, "algorithm": "URDNA2015"})
    urgna = jsonld.normalize(document, {**options, "algorithm": "URGNA2012"})
    assert ours == rdfc
    assert ours != urgna
    assert "_:c14n0" in ours


def _facts(**overrides) -> CredentialFacts:
    values = {
        "credential_id": "https://certs.example.test/certificates/CRD-1/",
        "issuer_did": "did:web:certs.example.test",
        "issuer_name": "Program office",
        "issuer_url": "https://certs.example.test/",
        "issuer_email": "office@example.invalid",
        "holder_name": "Ada Lovelace",
        "holder_email": "ada@example.invalid",
        "salt": "CRD-1",
        "achievement_id": "https://certs.example.test/credentials/achievements/nlp",
        "achievement_name": "Natural Language Processing",
        "achievement_description": "Build models that read and write text.",
        "criteria": "Both evaluations passed.",
        "proves": ("Passed a proctored test",),
        "does_not_prove": ("Research capability",),
        "valid_from": datetime(2026, 5, 6, 22, 0, tzinfo=UTC),
        "valid_until": datetime(2031, 5, 7, 21, 59, 59, tzinfo=UTC),
        "status_list_url": "https://certs.example.test/credentials/status/message",
        "status_index": 42,
        "status_reference": "https://certs.example.test/certificates/CRD-1/",
        "evidence": (
            EvidenceFacts("Knowledge test", "Knowledge test", "score band 80\u201389"),
            EvidenceFacts("Portfolio", "Interview", "repo", url="https://github.com/a/b/tree/0a1b"),
        ),
    }
    values.update(overrides)
    return CredentialFacts(**values)


def _did_key_signed(document: dict) -> dict:
    method = f"did:key:{KEYS['publicKeyMultibase']}#{KEYS['publicKeyMultibase']}"
    document = {**document, "issuer": {**document["issuer"], "id": method.split("#")[0]}}
    return dataintegrity.sign(
        document, private_key=PRIVATE, verification_method=method, created=CREATED
    )


def signed_at(created: str) -> dict:
    """The W3C vector's unsigned credential issued and signed by its did:key, ``created``
    written as given."""
    method = f"did:key:{KEYS['publicKeyMultibase']}#{KEYS['publicKeyMultibase']}"
    document = {**vector_json("unsigned.json"), "issuer": method.split("#")[0]}
    proof = {
        "type": dataintegrity.PROOF_TYPE,
        "cryptosuite": dataintegrity.CRYPTOSUITE,
        "created": created,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    config = dataintegrity.proof_configuration(document, proof)
    _, _, data = dataintegrity.hash_data(document, config)
    return {
        **document,
        "proof": {**proof, "proofValue": multikey.multibase_encode(PRIVATE.sign(data))},
    }


@pytest.mark.parametrize(
    "created",
    [
        "2026-05-06T22:00:00.5Z",
        "2026-05-06T22:00:00.123456789Z",
        "2026-05-07T00:00:00+02:00",
        "2026-05-06T20:30:00.25-01:30",
        "2026-05-06T22:00:00",  # no offset: read as UTC, as Data Integrity allows
    ],
)
def test_a_proof_created_with_fractional_seconds_or_an_offset_verifies(created):
    signed = signed_at(created)

    assert dataintegrity.verify(signed, did_key_resolver)["created"] == created


@pytest.mark.parametrize(
    "created",
    [
        "2026-05-06 22:00:00Z",
        "2026-05-06T22:00Z",
        "2026-04-31T22:00:00Z",
        "2026-05-06T25:00:00Z",
        "2026-05-06T22:00:00.Z",
        "2026-05-06T22:00:00+24:00",
        "yesterday",
        1746568800,
    ],
)
def test_a_proof_whose_creation_time_is_no_date_time_stamp_is_refused(created):
    signed = signed_at("2026-05-06T22:00:00Z")
    signed["proof"]["created"] = created

    with pytest.raises(ProofError, match="creation time is not a date and time"):
        dataintegrity.verify(signed, did_key_resolver)


def _leaf_paths(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaf_paths(value, (*path, i))
    else:
        yield path


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, str) and value.endswith("Z"):
        return value.replace("Z", "+01:00")
    return f"{value}x" if isinstance(value, str) else value + 1


def test_changing_any_field_of_a_signed_credential_makes_verification_fail():
    signed = _did_key_signed(build_credential(_facts()))
    dataintegrity.verify(signed, did_key_resolver)
    paths = [p for p in _leaf_paths(signed) if p[0] != "proof" and p[0] != "@context"]
    assert len(paths) > 30
    for path in paths:
        tampered = copy.deepcopy(signed)
        parent = tampered
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = _changed(parent[path[-1]])
        with pytest.raises(ProofError):
            dataintegrity.verify(tampered, did_key_resolver)


def test_a_credential_with_an_undefined_property_is_never_signed():
    document = build_credential(_facts())
    document["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(linkeddata.JsonLdError, match="favouriteColour"):
        dataintegrity.sign(
            document, private_key=PRIVATE, verification_method="did:key:z#z", created=CREATED
        )


def test_an_undefined_type_is_refused_too():
    document = build_credential(_facts())
    document["type"].append("ExcellenceBadge")
    with pytest.raises(linkeddata.JsonLdError, match="ExcellenceBadge"):
        linkeddata.canonicalize(document)


def test_contexts_are_bundled_and_nothing_else_is_loaded():
    with pytest.raises(jsonld.JsonLdError, match="not bundled"):
        linkeddata.document_loader("https://example.com/context.json")
    document = {"@context": ["https://example.com/context.json"], "name": "x"}
    with pytest.raises(linkeddata.JsonLdError):
        linkeddata.canonicalize(document)
    assert (
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json" in linkeddata.bundled_contexts()
    )


def test_dates_are_utc_with_z_and_whole_seconds():
    berlin = timezone(timedelta(hours=2))
    assert dataintegrity.utc_timestamp(datetime(2026, 5, 7, 0, 0, 0, 999, tzinfo=berlin)) == (
        "2026-05-06T22:00:00Z"
    )
    credential = build_credential(_facts())
    for field in ("validFrom", "validUntil"):
        assert UTC_SECONDS.fullmatch(credential[field])
    with pytest.raises(ValueError):
        dataintegrity.utc_timestamp(datetime(2026, 1, 1))


def test_multikey_prefixes_and_did_key_document():
    public = KEYS["publicKeyMultibase"]
    raw = multikey.multibase_decode(public)
    assert public.startswith("z6Mk") and raw[:2] == b"\xed\x01" and len(raw) == 34
    document = multikey.did_key_document(f"did:key:{public}")
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey" and method["controller"] == f"did:key:{public}"
    with pytest.raises(multikey.MultikeyError):
        multikey.public_key_from_multikey(KEYS["privateKeyMultibase"])
    assert multikey.b58decode(multikey.b58encode(b"\0\0abc")) == b"\0\0abc"


def test_a_proof_from_another_key_or_suite_is_refused():
    signed = vector_json("signedDataInt.json")
    other = copy.deepcopy(signed)
    other["proof"]["cryptosuite"] = "eddsa-jcs-2022"
    with pytest.raises(ProofError, match="unsupported proof"):
        dataintegrity.verify(other, did_key_resolver)
    other = copy.deepcopy(signed)
    other["proof"]["verificationMethod"] = "did:web:elsewhere.example#key-1"
    with pytest.raises(ProofError, match="cannot be resolved offline"):
        dataintegrity.verify(other, did_key_resolver)
