"""Where supporting documents live: a private folder under var/, never below MEDIA_ROOT or
STATIC_ROOT, with random file names, so nothing a candidate uploads is ever served by a web
server or reachable by guessing. Files go back to people only through
``views.document_download`` (the candidate and the program office)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
NAME_SUFFIXES = {"pdf": {".pdf"}, "png": {".png"}, "jpeg": {".jpg", ".jpeg"}}


class DocumentRejected(ValueError):
    """An upload that is too large, empty, or not a PDF, PNG or JPEG by its bytes."""


@dataclass(frozen=True)
class CheckedDocument:
    data: bytes
    kind: str
    original_name: str
    sha256: str


def folder() -> Path:
    path = Path(settings.CREDENCE_ACCOMMODATION_DOCUMENTS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def kind_of(data: bytes) -> str | None:
    """What a file is, from its bytes, never from its name or declared type."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def check(upload: UploadedFile) -> CheckedDocument:
    """Read an upload within the size limit and tell what it is; ``DocumentRejected`` says
    what is wrong with it, naming the file."""
    limit = int(settings.CREDENCE_ACCOMMODATION_DOCUMENT_MAX_BYTES)
    # Only the base name is kept, and only for showing; it never becomes a path.
    name = Path((upload.name or "document").replace("\\", "/")).name[:200] or "document"
    too_big = DocumentRejected(
        _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    chunks: list[bytes] = []
    read = 0
    for chunk in upload.chunks():
        read += len(chunk)
        if read > limit:
            raise too_big
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise DocumentRejected(_("“%(name)s” is empty.") % {"name": name})
    kind = kind_of(data)
    if kind is None:
        raise DocumentRejected(
            _("“%(name)s” is not a PDF, PNG or JPEG file. Upload your documents as one of these.")
            % {"name": name}
        )
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in NAME_SUFFIXES[kind]:
        # a mislabelled file must not mislead the office reading it
        raise DocumentRejected(
            _("“%(name)s” is a %(kind)s file, but its name says otherwise.")
            % {"name": name, "kind": kind.upper()}
        )
    return CheckedDocument(data, kind, name, hashlib.sha256(data).hexdigest())


def store(document: CheckedDocument) -> str:
    """Write the file under a fresh random name and return that name."""
    stored_name = secrets.token_hex(16) + EXTENSIONS[document.kind]
    path = folder() / stored_name
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(document.data)
    path.chmod(0o600)
    return stored_name


def path_of(stored_name: str) -> Path:
    path = (folder() / stored_name).resolve()
    if path.parent != folder().resolve():
        raise FileNotFoundError(stored_name)
    return path


def discard(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def download_name(original_name: str, kind: str) -> str:
    """A safe name for Content-Disposition: the original stem, the extension of what it is."""
    stem = Path(original_name).stem
    safe = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ .")[:80].strip() or "document"
    return safe + EXTENSIONS[kind]
