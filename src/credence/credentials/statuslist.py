"""Bitstring Status List v1.0: the bits of a status list and their encoding. Pure functions.

The list is a bitstring of at least 131,072 entries (16 KiB, so that one credential's entry
hides among many), gzip-compressed, then base64url without padding, with the multibase prefix
"u". Bit 0 is the most significant bit of the first byte.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072


class StatusListError(ValueError):
    pass


def encode(set_indexes: Iterable[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise StatusListError(f"index {index} is outside the list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the encoding a pure function of the bits
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise StatusListError("the encoded list is not base64url multibase (prefix 'u')")
    body = encoded[1:]
    try:
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError) as error:
        raise StatusListError(f"the encoded list cannot be decoded: {error}") from error
    if len(raw) * 8 < LIST_SIZE:
        raise StatusListError(
            f"the list has {len(raw) * 8} entries, fewer than the {LIST_SIZE} required"
        )
    return raw


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside the list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
