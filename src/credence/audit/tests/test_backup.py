"""``credence backup`` and ``credence restore``: a round trip keeps every row of every table,
and a damaged, foreign or misplaced backup is refused before anything changes."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from credence.accounts.models import User
from credence.audit.backup import (
    BackupError,
    _tables,
    _trailer,
    backup,
    read_header,
    restore,
)
from credence.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def issuer(settings, tmp_path: Path):
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_ISSUER_DOMAIN = "certs.example.test"
    settings.CREDENCE_PUBLIC_URL = "https://certs.example.test"
    settings.CREDENCE_KEY_PASSPHRASE = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def _world() -> None:
    """The demo: every role, results, certificates with signed credentials, fund, invoices,
    claims, preparation content, and the audit events all of that wrote."""
    # imported here: the demo pulls in every app's services, which the other tests don't need
    from credence.credentials import api as credentials_api
    from credence.demo.data import demo_populate

    call_command("program", "load", verbosity=0)
    demo_populate(date(2026, 11, 2))
    credentials_api.credentials_issue_all()


def _every_table() -> dict[str, list[tuple[Any, ...]]]:
    snapshot = {}
    for model in _tables():
        columns = [field.attname for field in model._meta.concrete_fields]
        snapshot[model._meta.label_lower] = list(
            model._base_manager.order_by("pk").values_list(*columns)
        )
    return snapshot


def _rewrite(path: Path, change) -> None:
    """Change a backup's content and write it as backup() does (file checksum included), so
    that only the change differs."""
    lines = zlib.decompressobj(wbits=31).decompress(path.read_bytes()).split(b"\n")
    header = json.loads(lines[0])
    change(header, lines)
    lines[0] = json.dumps(header).encode()
    member = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=member, mode="wb", mtime=0) as out:
        out.write(b"\n".join(lines))
    content = member.getvalue()
    path.write_bytes(content + _trailer(hashlib.sha256(content).hexdigest()))


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_keeps_every_row_of_every_table(tmp_path: Path, settings) -> None:
    _world()
    before = _every_table()
    # the world reaches the tables that matter, m2m link tables included
    for label in (
        "accounts.user",
        "accounts.user_groups",
        "audit.auditevent",
        "billing.entry",
        "credentials.certificate",
        "exams.attempt",
        "recognition.claim",
        "catalog.certification_topics",
    ):
        assert before[label], label
    file = tmp_path / "credence.backup.gz"

    call_command("backup", str(file), "--with-keys", verbosity=0)
    header = read_header(file)
    assert header["row_counts"] == {label: len(rows) for label, rows in before.items()}
    assert header["key_files"] == 1
    assert header["migrations"]["audit"] == "0002_append_only"

    # A fresh database: flush leaves only what migrate makes (content types, permissions).
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    call_command("restore", str(file), verbosity=0)

    assert _every_table() == before
    # sequences continue after the restored rows (PostgreSQL needs them reset)
    user = User.objects.create_user("new@example.invalid", "x" * 12, full_name="New")
    assert user.pk > max(row[0] for row in before["accounts.user"])
    assert AuditEvent.objects.count() == len(before["audit.auditevent"])

    # --with-keys brings the signing key back into an empty keys folder, byte for byte
    (key,) = Path(settings.CREDENCE_KEYS_DIR).glob("*.pem")
    settings.CREDENCE_KEYS_DIR = tmp_path / "restored-keys"
    call_command("restore", str(file), "--replace", "--with-keys", verbosity=0)
    restored = Path(settings.CREDENCE_KEYS_DIR) / key.name
    assert restored.read_bytes() == key.read_bytes()
    assert restored.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def saved(db, tmp_path: Path) -> Path:
    User.objects.create_user("cora@example.invalid", "x" * 12, full_name="Cora Candidate")
    return backup(tmp_path / "small.backup.gz").path


def test_a_non_empty_database_is_refused_without_replace(saved: Path) -> None:
    User.objects.create_user("late@example.invalid", "x" * 12, full_name="Late Comer")
    with pytest.raises(BackupError, match=r"not empty.*--replace"):
        restore(saved)
    assert User.objects.count() == 2


def test_replace_discards_the_rows_the_database_holds(saved: Path) -> None:
    User.objects.create_user("late@example.invalid", "x" * 12, full_name="Late Comer")
    restore(saved, replace=True)
    assert list(User.objects.values_list("email", flat=True)) == ["cora@example.invalid"]


def test_a_truncated_file_is_refused(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="not a complete backup"):
        read_header(saved)


def test_every_single_byte_flip_is_refused(saved: Path) -> None:
    # exhaustive on a small backup: a damaged byte anywhere (gzip header, deflate data, CRC,
    # length) is a BackupError, never another exception and never a header taken as good
    original = saved.read_bytes()
    assert read_header(saved)["format"] == "credence-backup"
    not_refused = []
    for position in range(len(original)):
        damaged = bytearray(original)
        damaged[position] ^= 0xFF
        saved.write_bytes(bytes(damaged))
        try:
            read_header(saved)
        except BackupError as error:
            assert str(saved) in str(error)
        else:
            not_refused.append(position)
    assert not_refused == []


def test_a_file_cut_off_at_any_length_is_refused(saved: Path) -> None:
    original = saved.read_bytes()
    for length in range(len(original)):
        saved.write_bytes(original[:length])
        with pytest.raises(BackupError, match=str(saved)):
            read_header(saved)


def test_a_file_without_its_checksum_is_refused(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: data.rindex(b"\x1f\x8b")])  # the content member alone
    with pytest.raises(BackupError, match="has no file checksum"):
        read_header(saved)


def test_a_header_of_the_wrong_shape_is_refused(saved: Path) -> None:
    def change(header: dict[str, Any], lines: list[bytes]) -> None:
        header["row_counts"] = ["accounts.user"]

    _rewrite(saved, change)
    with pytest.raises(BackupError, match=r"damaged header \(row_counts\)"):
        read_header(saved)


def test_changed_content_fails_the_checksum(saved: Path) -> None:
    def change(header: dict[str, Any], lines: list[bytes]) -> None:
        lines[1] = lines[1].replace(b"cora@", b"mallory@")

    _rewrite(saved, change)
    with pytest.raises(BackupError, match="checksum"):
        read_header(saved)


def test_another_migration_state_is_refused_with_the_difference(saved: Path) -> None:
    def change(header: dict[str, Any], lines: list[bytes]) -> None:
        header["migrations"]["audit"] = "0001_initial"

    _rewrite(saved, change)
    with pytest.raises(BackupError, match="audit: backup 0001_initial, database 0002"):
        restore(saved, replace=True)
    assert User.objects.filter(email="cora@example.invalid").exists()


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path, db) -> None:
    other = tmp_path / "notes.gz"
    with gzip.open(other, "wb") as stream:
        stream.write(b'{"hello": "world"}\n')
    with pytest.raises(BackupError, match="not a Credence backup"):
        read_header(other)


def test_the_commands_report_errors_cleanly(tmp_path: Path, db) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.gz"))


def test_a_backup_is_written_whole_or_not_at_all(saved: Path, tmp_path: Path) -> None:
    # only the finished file is left in the folder: no temporary part files
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["small.backup.gz"]
    assert saved.stat().st_mode & 0o777 == 0o600
    assert connection.vendor in read_header(saved)["database"]
