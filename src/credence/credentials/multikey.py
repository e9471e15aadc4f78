"""Ed25519 keys as Multikey (``publicKeyMultibase``) and ``did:key`` identifiers.

Multibase base58btc ("z" prefix) over the multicodec-prefixed key bytes: 0xed 0x01 for an
Ed25519 public key, 0x80 0x26 for an Ed25519 private key (the W3C Data Integrity EdDSA
cryptosuites, section "Multikey"). Pure functions; no ORM, no network.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


class MultikeyError(ValueError):
    """A key or multibase string that is not what it claims to be."""


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise MultikeyError(f"{char!r} is not a base58btc character")
        number = number * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    if not text.startswith("z"):
        raise MultikeyError("only base58btc multibase values (starting with 'z') are supported")
    return b58decode(text[1:])


def public_multikey(key: Ed25519PublicKey) -> str:
    return multibase_encode(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    raw = multibase_decode(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise MultikeyError("not an Ed25519 public key (multicodec 0xed01, 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multikey(value: str) -> Ed25519PrivateKey:
    raw = multibase_decode(value)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise MultikeyError("not an Ed25519 private key (multicodec 0x8026, 32 bytes)")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of a ``did:key`` with an Ed25519 key: the key is the identifier."""
    if not did.startswith("did:key:"):
        raise MultikeyError(f"{did} is not a did:key")
    multikey = did.removeprefix("did:key:")
    public_key_from_multikey(multikey)  # refuses anything but Ed25519
    method = f"{did}#{multikey}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey,
            }
        ],
        "assertionMethod": [method],
        "authentication": [method],
    }
