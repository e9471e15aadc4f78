"""Private signing keys as files, never in the database (docs/decisions/0016).

One PKCS#8 PEM file per key in ``CREDENCE_KEYS_DIR``, created with mode 0600 in a 0700
folder, encrypted with ``CREDENCE_KEY_PASSPHRASE`` when it is set. A database dump therefore
never carries a private key; a backup of the keys folder must be made on its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from django.conf import settings


class KeyUnavailable(RuntimeError):
    """The private key of a signing key is missing or cannot be opened."""


def _folder() -> Path:
    folder = Path(settings.CREDENCE_KEYS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _path(key_id: str) -> Path:
    return _folder() / f"{key_id}.pem"


def _passphrase() -> bytes | None:
    return settings.CREDENCE_KEY_PASSPHRASE.encode() or None


def store(key_id: str, key: Ed25519PrivateKey) -> Path:
    passphrase = _passphrase()
    encryption = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
    path = _path(key_id)
    # O_EXCL: never overwrite a key; 0600 from the first byte, not chmod after the fact
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return path


def load(key_id: str) -> Ed25519PrivateKey:
    path = _path(key_id)
    try:
        key = load_pem_private_key(path.read_bytes(), password=_passphrase())
    except FileNotFoundError:
        raise KeyUnavailable(
            f"The private key {key_id} is not in {path.parent}; restore it from the key "
            "backup or rotate to a new key (`credence keys rotate`)."
        ) from None
    except (ValueError, TypeError) as error:
        raise KeyUnavailable(
            f"The private key {key_id} cannot be opened (is CREDENCE_KEY_PASSPHRASE right?): "
            f"{error}"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailable(f"The private key {key_id} is not an Ed25519 key.")
    return key
