"""The private folder that claim evidence and supporting documents share: files written once
under random names, readable by the owner alone, never reached from outside the folder."""

from __future__ import annotations

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.core.privatefiles import PrivateFolder, base_name, read_within

FOLDER = PrivateFolder("TEST_PRIVATE_FILES", {"pdf": ".pdf"}, "document")


@pytest.fixture
def folder(settings, tmp_path):
    settings.TEST_PRIVATE_FILES = tmp_path / "private"
    return settings.TEST_PRIVATE_FILES


def test_a_stored_file_has_a_random_name_and_only_its_owner_reads_it(folder):
    first, second = FOLDER.store(b"%PDF-1", "pdf"), FOLDER.store(b"%PDF-1", "pdf")
    assert first != second and first.endswith(".pdf")
    path = FOLDER.path_of(first)
    assert path.read_bytes() == b"%PDF-1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    FOLDER.discard(first)
    assert not path.exists() and FOLDER.path_of(second).exists()


@pytest.mark.parametrize("name", ["../secret_key", "/etc/passwd", "sub/../../x.pdf"])
def test_no_name_leads_out_of_the_folder(folder, name):
    with pytest.raises(FileNotFoundError):
        FOLDER.path_of(name)


def test_names_shown_and_sent_are_safe():
    assert FOLDER.download_name("Gutachten 2026 (final).PDF", "pdf") == "Gutachten 2026 final.pdf"
    assert FOLDER.download_name("../..//", "pdf") == "document.pdf"
    upload = SimpleUploadedFile("C:\\Users\\ada\\letter.pdf", b"%PDF-1")
    assert base_name(upload, "document") == "letter.pdf"


def test_reading_stops_past_the_limit_whatever_the_upload_claims():
    upload = SimpleUploadedFile("big.pdf", b"x" * 11)
    upload.size = None  # a request that does not say its size
    with pytest.raises(ValueError, match="too big"):
        read_within(upload, 10, ValueError("too big"))
    assert read_within(SimpleUploadedFile("ok.pdf", b"x" * 10), 10, ValueError()) == b"x" * 10
