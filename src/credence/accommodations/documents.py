"""Supporting documents: what an upload is, checked from its bytes, and where it lives (a
``core.privatefiles`` folder). Files go back to people only through
``views.document_download`` (the candidate and the program office)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credence.core.privatefiles import PrivateFolder, base_name, read_within

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


FOLDER = PrivateFolder("CREDENCE_ACCOMMODATION_DOCUMENTS_DIR", EXTENSIONS, "document")


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
    name = base_name(upload, "document")
    too_big = DocumentRejected(
        _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
    )
    data = read_within(upload, limit, too_big)
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
