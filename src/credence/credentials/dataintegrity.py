"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C Data Integrity EdDSA
Cryptosuites v1.0, section 3.3).

Signing: canonicalize the proof configuration (the proof without ``proofValue``, carrying the
document's ``@context``) and the document without its proof with RDFC-1.0, hash each with
SHA-256, and sign the concatenation, proof configuration hash first, with Ed25519. The
signature is the proof's ``proofValue`` in base58btc multibase. Verifying repeats the same
steps and checks the signature with the verification method's public key.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credence.credentials.multikey import MultikeyError, multibase_decode, multibase_encode

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
# What a proof's `created` may be (VC Data Integrity 1.0: an xsd:dateTimeStamp, in UTC with a Z
# or with an offset), fractional seconds included: other issuers write them, and the reference
# verifier accepts them (issue 18). A value serialized without an offset is consumed as UTC, as
# the specification lets a processor do (and the W3C suite's optional test expects).
_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$"
)


# Documents (with their proof) already verified with a given key: the outcome is a pure
# function of the two, and canonicalization is the expensive part of every verification.
_VERIFIED: set[bytes] = set()
_VERIFIED_MAX = 10_000


class ProofError(ValueError):
    """Why a proof does not verify, in words a person can act on."""


def utc_timestamp(moment: datetime) -> str:
    """What Credence writes: UTC with a Z and whole seconds, which every verifier's
    xsd:dateTime parser accepts."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_proof_time(value: object) -> bool:
    """Whether ``value`` is a real date and time as a proof's ``created`` may give it: an
    xsd:dateTimeStamp, or one serialized without its offset (read as UTC)."""
    match = _DATE_TIME.match(value) if isinstance(value, str) else None
    if match is None:
        return False
    try:
        datetime.fromisoformat(match.group(1))  # a real day and time: no 31 April, no 25:00
    except ValueError:
        return False
    return True


def proof_configuration(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    return config


def hash_data(document: dict[str, Any], config: dict[str, Any]) -> tuple[str, str, bytes]:
    """The canonical proof configuration, the canonical document, and the bytes to sign."""
    # linkeddata is imported where documents are canonicalized, not at the top: it loads pyld
    # (with requests and lxml, a seventh of a second), and this module is imported by every
    # `credence` command that touches certificates, their --help included (issue 14).
    from credence.credentials.linkeddata import canonicalize

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    canonical_config = canonicalize(config)
    canonical_document = canonicalize(unsecured)
    data = (
        hashlib.sha256(canonical_config.encode()).digest()
        + hashlib.sha256(canonical_document.encode()).digest()
    )
    return canonical_config, canonical_document, data


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` proof. Raises JsonLdError if the
    document uses a term its contexts do not define: such a credential is never issued."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": utc_timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    unsecured = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    _, _, data = hash_data(unsecured, proof_configuration(unsecured, proof))
    proof["proofValue"] = multibase_encode(private_key.sign(data))
    return {**unsecured, "proof": proof}


def _proof_to_check(document: dict[str, Any]) -> tuple[dict[str, Any], str, bytes]:
    """The document's one proof, its verification method and its signature, or ProofError
    saying what is missing or unsupported. Checks the proof's form only, not its signature;
    the refusals come in the order a verifier meets them reading the proof."""
    if not isinstance(document, dict):
        raise ProofError("the credential is not a JSON object")
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("only credentials with exactly one proof are supported")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("the credential has no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"unsupported proof {proof.get('type')!r} / {proof.get('cryptosuite')!r}; "
            f"expected {PROOF_TYPE} / {CRYPTOSUITE}"
        )
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    if "created" in proof and not is_proof_time(proof["created"]):
        raise ProofError(
            "the proof's creation time is not a date and time "
            "(an xsd:dateTimeStamp such as 2026-05-06T22:00:00Z)"
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        raise ProofError("the proof names no verification method")
    try:
        signature = multibase_decode(str(proof.get("proofValue", "")))
    except MultikeyError as error:
        raise ProofError(f"the proof value is not base58btc multibase: {error}") from error
    if len(signature) != 64:
        raise ProofError("the proof value is not an Ed25519 signature (64 bytes)")
    return proof, method, signature


def verify(
    document: dict[str, Any], resolve_key: Callable[[str], Ed25519PublicKey]
) -> dict[str, Any]:
    """Check the document's proof; return the proof, or raise ProofError saying why not.

    ``resolve_key`` maps a verification method id to its public key and raises ProofError
    when it cannot (unknown key, not authorized for the issuer, ...)."""
    proof, method, signature = _proof_to_check(document)
    public_key = resolve_key(method)
    memo = hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
        + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    ).digest()
    if memo in _VERIFIED:
        return proof
    from credence.credentials.linkeddata import JsonLdError  # see hash_data

    try:
        _, _, data = hash_data(document, proof_configuration(document, proof))
    except JsonLdError as error:
        raise ProofError(f"the credential cannot be canonicalized: {error}") from error
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise ProofError(
            "the signature does not match: the credential was changed after it was signed, "
            "or it was signed with another key"
        ) from None
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED.add(memo)
    return proof
