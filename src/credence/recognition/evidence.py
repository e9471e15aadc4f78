"""Where claim evidence lives: a private folder under var/, never below MEDIA_ROOT or STATIC_ROOT,
with random file names, so that nothing a candidate uploads is ever served by a web server or
reachable by guessing. Files go back to people only through ``views.evidence_download``."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credence.recognition.policy import EvidenceRejected, evidence_kind

EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "open_badge": ".json"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "open_badge": "application/json",
}


def evidence_dir() -> Path:
    folder = Path(settings.CREDENCE_CLAIM_EVIDENCE_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


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
        raise EvidenceRejected(_("The file is empty."))
    kind = evidence_kind(data)
    # Only the base name is kept, and only for showing; it never becomes a path.
    name = Path((upload.name or "evidence").replace("\\", "/")).name[:200] or "evidence"
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


def store(upload: CheckedUpload) -> str:
    """Write the file under a fresh random name and return that name."""
    stored_name = secrets.token_hex(16) + EXTENSIONS[upload.kind]
    path = evidence_dir() / stored_name
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(upload.data)
    path.chmod(0o600)
    return stored_name


def path_of(stored_name: str) -> Path:
    path = (evidence_dir() / stored_name).resolve()
    if path.parent != evidence_dir().resolve():
        raise FileNotFoundError(stored_name)
    return path


def discard(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def download_name(original_name: str, kind: str) -> str:
    """A safe name for Content-Disposition: the original stem, the extension of what it is."""
    stem = Path(original_name).stem
    safe = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ .")[:80].strip() or "evidence"
    return safe + EXTENSIONS[kind]
