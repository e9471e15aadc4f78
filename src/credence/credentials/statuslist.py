"""Bitstring Status List v1.0: the bits of a status list and their encoding. Pure functions.

A list holds at least 131,072 entries (so that one credential's entry hides among many) of
``status_size`` bits each: a one-bit list (revocation, suspension) is 16 KiB, a two-bit list
(``message``) 32 KiB, since a verifier refuses a list whose length divided by the status size
is under 131,072 (the specification's validate algorithm). Entry ``i`` starts at bit
``i * status_size``; bit 0 is the most significant bit of the first byte, and an entry's value
is read most significant bit first. The bitstring is gzip-compressed, then base64url without
padding, with the multibase prefix "u".
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072  # entries


class StatusListError(ValueError):
    pass


def encode(
    values: Iterable[tuple[int, int]], status_size: int = 1, entries: int = LIST_SIZE
) -> str:
    """The encoded list of ``entries`` entries of ``status_size`` bits, each zero but those
    in ``values``: (index, value) pairs."""
    bits = bytearray(entries * status_size // 8)
    for index, value in values:
        if not 0 <= index < entries:
            raise StatusListError(f"index {index} is outside the list of {entries} entries")
        if not 0 <= value < 1 << status_size:
            raise StatusListError(f"the value {value} does not fit in {status_size} bits")
        for offset in range(status_size):
            if value & (1 << (status_size - 1 - offset)):
                position = index * status_size + offset
                bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0 keeps the encoding a pure function of the bits
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str, status_size: int = 1) -> bytes:
    if not encoded.startswith("u"):
        raise StatusListError("the encoded list is not base64url multibase (prefix 'u')")
    body = encoded[1:]
    try:
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError) as error:
        raise StatusListError(f"the encoded list cannot be decoded: {error}") from error
    if len(raw) * 8 // status_size < LIST_SIZE:
        raise StatusListError(
            f"the list has {len(raw) * 8 // status_size} entries of {status_size} bit(s), "
            f"fewer than the {LIST_SIZE} required"
        )
    return raw


def value_at(bits: bytes, index: int, status_size: int = 1) -> int:
    """The value of entry ``index`` in a decoded list of ``status_size``-bit entries."""
    if not 0 <= index < len(bits) * 8 // status_size:
        raise StatusListError(
            f"index {index} is outside the list of {len(bits) * 8 // status_size} entries"
        )
    value = 0
    for position in range(index * status_size, (index + 1) * status_size):
        value = value << 1 | bool(bits[position // 8] & (0x80 >> (position % 8)))
    return value
