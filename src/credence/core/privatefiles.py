"""A private folder for what people upload (claim evidence, supporting documents of an
accommodation): under var/, never below MEDIA_ROOT or STATIC_ROOT, each file written once under
a random name and readable by the process's user alone, so that nothing uploaded is ever served
by a web server or reachable by guessing. Files go back to people only through the views that
check who asks."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class PrivateFolder:
    setting: str  # the setting that names the folder (tests point it at a temporary one)
    extensions: Mapping[str, str]  # a file's kind (from its bytes) -> its extension
    fallback_name: str  # the download's name when the original has no usable stem

    def path(self) -> Path:
        folder = Path(getattr(settings, self.setting))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def store(self, data: bytes, kind: str) -> str:
        """Write the file under a fresh random name and return that name."""
        stored_name = secrets.token_hex(16) + self.extensions[kind]
        path = self.path() / stored_name
        with open(path, "xb") as handle:  # "x": never overwrite
            handle.write(data)
        path.chmod(0o600)
        return stored_name

    def path_of(self, stored_name: str) -> Path:
        """The stored file's path; a name that would lead out of the folder is not found."""
        path = (self.path() / stored_name).resolve()
        if path.parent != self.path().resolve():
            raise FileNotFoundError(stored_name)
        return path

    def discard(self, stored_name: str) -> None:
        self.path_of(stored_name).unlink(missing_ok=True)

    def download_name(self, original_name: str, kind: str) -> str:
        """A safe name for Content-Disposition: the original stem (no leading or trailing dots:
        no hidden file, no "..") and the extension of what the file is."""
        stem = Path(original_name).stem
        safe = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ .")[:80].strip(" .")
        return (safe or self.fallback_name) + self.extensions[kind]


def base_name(upload: UploadedFile, fallback: str) -> str:
    """Only the upload's base name is kept, and only for showing: it never becomes a path."""
    return Path((upload.name or fallback).replace("\\", "/")).name[:200] or fallback


def read_within(upload: UploadedFile, limit: int, too_big: Exception) -> bytes:
    """The upload's bytes; ``too_big`` is raised as soon as more than ``limit`` bytes arrive,
    whatever size the request claimed."""
    if upload.size is not None and upload.size > limit:
        raise too_big
    chunks: list[bytes] = []
    read = 0
    for chunk in upload.chunks():
        read += len(chunk)
        if read > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)
