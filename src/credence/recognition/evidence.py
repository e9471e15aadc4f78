"""Claim evidence: what an upload is, checked from its bytes, and where it lives (a
``core.privatefiles`` folder). Files go back to people only through
``views.evidence_download``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credence.core.privatefiles import PrivateFolder, base_name, read_within
from credence.recognition.policy import EvidenceRejected, evidence_kind

EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "open_badge": ".json"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "open_badge": "application/json",
}


FOLDER = PrivateFolder("CREDENCE_CLAIM_EVIDENCE_DIR", EXTENSIONS, "evidence")


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    kind: str
    original_name: str
    sha256: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Read an upload within the size limit and tell what it is from its bytes."""
    limit = int(settings.CREDENCE_CLAIM_EVIDENCE_MAX_BYTES)
    too_big = EvidenceRejected(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
    )
    data = read_within(upload, limit, too_big)
    if not data:
        raise EvidenceRejected(_("The file is empty."))
    kind = evidence_kind(data)
    name = base_name(upload, "evidence")
    _refuse_a_lying_label(name, upload.content_type or "", kind)
    return CheckedUpload(data, kind, name, hashlib.sha256(data).hexdigest())


# What a file's name and declared type may say for each kind its bytes can be.
NAME_SUFFIXES = {
    "pdf": {".pdf"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
    "open_badge": {".json", ".jsonld"},
}
DECLARED_TYPES = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpeg": {"image/jpeg", "image/jpg", "image/pjpeg"},
    "open_badge": {"application/json", "application/ld+json", "application/vc+ld+json"},
}
# Browsers send these when they do not know; they claim nothing.
UNSPECIFIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


def _refuse_a_lying_label(name: str, declared_type: str, kind: str) -> None:
    """A file whose name or declared type says something other than its bytes (a PNG named
    .pdf, a ZIP sent as text/csv) is refused: either it was mislabelled by mistake, and the
    candidate can fix it, or on purpose, and the office must not be misled by the label."""
    suffix = Path(name).suffix.lower()
    declared = declared_type.split(";")[0].strip().lower()
    if (suffix and suffix not in NAME_SUFFIXES[kind]) or (
        declared not in UNSPECIFIC_TYPES and declared not in DECLARED_TYPES[kind]
    ):
        raise EvidenceRejected(
            _(
                "“%(name)s” is a %(kind)s file, but its name or type says otherwise. Upload it "
                "under its real type."
            )
            % {"name": name, "kind": KIND_NAMES[kind]}
        )


KIND_NAMES = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "open_badge": "Open Badges (JSON)"}
