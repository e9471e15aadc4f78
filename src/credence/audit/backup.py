"""Backups of the whole database as one file, and their restore (docs/backup.md, 0022).

A backup is a gzip file of text lines. The first line is the header (JSON): format version,
Credence version, the migration state (latest applied migration per app), when it was made,
row counts per table and the SHA-256 of everything after the header. Every further line is one
row in Django's serialization (m2m link tables as tables of their own), or, with
``with_keys``, one signing key file. Rows keep their primary keys, so content types and
permissions are carried as rows too and nothing depends on natural keys; this also makes a
SQLite backup restorable into PostgreSQL and back.

Rows are read in one read-only transaction (PostgreSQL SERIALIZABLE READ ONLY DEFERRABLE,
SQLite one read transaction), so the backup is one consistent moment; the file is written
under a temporary name and renamed when complete, so a backup file is never half-written.
A restore checks the header and checksum before it touches the database, then replaces all
rows in one transaction with the audit trail's maintenance switch on only inside it.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
import io
import itertools
import json
import os
import re
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from credence.audit.maintenance import audit_maintenance

FORMAT = "credence-backup"
FORMAT_VERSION = 2
# A backup is two gzip members: the content (header line and rows), then a short stored member
# holding the SHA-256 of the first member's bytes. gzip's CRC covers only what a member
# decompresses to, and some deflate bits (and the 10-byte member header) can change without
# changing that; the file checksum catches every changed byte. Both member headers are written
# fixed (no file name, mtime 0, OS unknown) and compared byte for byte.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
TRAILER_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_ROW = re.compile(rb'\{"model": "([a-z0-9_]+\.[a-z0-9_]+)"')
# Tables ``migrate`` fills by itself; a database holding only these counts as empty.
_CREATED_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Summary:
    path: Path
    header: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.header["row_counts"].values())


def _tables() -> list[type[models.Model]]:
    """Every table Django knows, m2m link tables included, in a stable order."""
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ),
        key=lambda model: model._meta.label_lower,
    )


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration per app (names sort by their number prefix)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _require_migrated(using: str) -> None:
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("the database has unapplied migrations; run `credence migrate` first")


def _row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _tables()}


class _HashingWriter(io.RawIOBase):
    """Passes bytes on to ``target`` and hashes them, so the checksum needs no second read."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sha256.update(data)
        return self.target.write(data)


def _key_files() -> list[Path]:
    folder = Path(settings.CREDENCE_KEYS_DIR)
    return sorted(folder.glob("*.pem")) if folder.is_dir() else []


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to
    milliseconds, as JavaScript would), so a restored row equals the saved one."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _write_rows(out: io.RawIOBase) -> None:
    for model in _tables():
        # Link tables of ManyToManyFields are written as tables of their own, so that their
        # rows keep their ids too; the owning rows are written without the m2m field.
        columns = [field.name for field in model._meta.concrete_fields if not field.primary_key]
        rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
        while chunk := list(itertools.islice(rows, 2000)):
            for row in serializers.serialize("python", chunk, fields=columns):
                out.write(json.dumps(row, cls=_ExactEncoder).encode() + b"\n")


def backup(path: Path, *, with_keys: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write every row of the database to ``path`` as one consistent snapshot."""
    path = Path(path)
    _require_migrated(using)
    connection = connections[using]
    folder = path.parent if str(path.parent) else Path(".")
    with tempfile.TemporaryFile(dir=folder) as body:
        hashing = _HashingWriter(body)
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    # the first statement of the transaction: one snapshot for every table,
                    # taken when no serialization anomaly can show up in it
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"
                    )
            # On SQLite the atomic block is one read transaction: its first read fixes the
            # snapshot (WAL), and later commits by others stay invisible to it.
            counts = _row_counts()
            state = migration_state(using)
            _write_rows(hashing)
        keys = _key_files() if with_keys else []
        for key in keys:
            line = {"key_file": key.name, "data": base64.b64encode(key.read_bytes()).decode()}
            hashing.write(json.dumps(line).encode() + b"\n")
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "credence_version": metadata.version("credence"),
            "database": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": state,
            "row_counts": counts,
            "key_files": len(keys),
            "content_sha256": hashing.sha256.hexdigest(),
        }
        body.seek(0)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw:
                member = _HashingWriter(raw)
                with gzip.GzipFile(filename="", fileobj=member, mode="wb", mtime=0) as out:
                    out.write(json.dumps(header, sort_keys=True).encode() + b"\n")
                    while chunk := body.read(1 << 20):
                        out.write(chunk)
                raw.write(_trailer(member.sha256.hexdigest()))
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
            # a private key may be inside, and personal data always is
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return Summary(path=path, header=header)


def _lines(path: Path) -> Iterator[bytes]:
    """The content's lines (each with its newline), then a check of the file checksum: nothing
    is trusted until the last line has been read."""
    try:
        with open(path, "rb") as raw:
            if raw.read(len(GZIP_HEADER)) != GZIP_HEADER:
                raise BackupError(
                    f"{path} is not a Credence backup (or its first bytes are damaged)"
                )
            raw.seek(0)
            digest = hashlib.sha256()
            inflate = zlib.decompressobj(wbits=31)  # gzip: checks the CRC and the length
            pending = b""
            while not inflate.eof:
                chunk = raw.read(1 << 20)
                if not chunk:
                    raise BackupError(f"{path} is not a complete backup file (cut off)")
                pending += inflate.decompress(chunk)
                digest.update(chunk[: len(chunk) - len(inflate.unused_data)])
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    yield line + b"\n"
            if pending:
                yield pending
            _check_trailer(path, inflate.unused_data + raw.read(), digest.hexdigest())
    except (OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is not a complete backup file ({error})") from error


def _trailer(content_digest: str) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0, compresslevel=0) as member:
        member.write(json.dumps({"file_sha256": content_digest}).encode())
    return out.getvalue()


def _check_trailer(path: Path, trailer: bytes, digest: str) -> None:
    if not trailer:
        raise BackupError(f"{path} has no file checksum: cut off, or made by an older Credence")
    inflate = zlib.decompressobj(wbits=31)
    try:
        text = inflate.decompress(trailer)
        complete = inflate.eof and not inflate.unused_data
        recorded = json.loads(text).get("file_sha256") if complete else None
    except (zlib.error, ValueError, AttributeError):
        recorded = None
    if not trailer.startswith(TRAILER_HEADER) or recorded is None:
        raise BackupError(f"{path} is damaged: its file checksum cannot be read")
    if recorded != digest:
        raise BackupError(f"{path} is damaged: its bytes do not match its file checksum")


def _header_problem(header: Any) -> str | None:
    """What is wrong with a parsed header's shape, or None."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return "is not a Credence backup"
    if header.get("format_version") != FORMAT_VERSION:
        return (
            f"is backup format {header.get('format_version')}; "
            f"this Credence reads format {FORMAT_VERSION}"
        )
    shapes = {
        "migrations": lambda v: isinstance(v, dict) and all(isinstance(m, str) for m in v.values()),
        "row_counts": lambda v: isinstance(v, dict) and all(type(n) is int for n in v.values()),
        "key_files": lambda v: type(v) is int,
        "content_sha256": lambda v: isinstance(v, str),
    }
    broken = [field for field, fits in shapes.items() if not fits(header.get(field))]
    return f"has a damaged header ({', '.join(broken)})" if broken else None


def read_header(path: Path) -> dict[str, Any]:
    """The header of a backup, checked against the file's content (checksum and row counts).

    Any damage (a changed byte anywhere, a cut-off file, a wrong checksum) is a ``BackupError``
    that says so: the gzip header is compared byte for byte, gzip's CRC covers the content and
    is checked when the last line has been read, and nothing read before then is trusted to be
    well-formed."""
    lines = _lines(Path(path))
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError) as error:
        raise BackupError(f"{path} has no backup header (or it is damaged)") from error
    if problem := _header_problem(header):
        raise BackupError(f"{path} {problem}")
    sha256 = hashlib.sha256()
    rows: Counter[str] = Counter()
    for line in lines:
        sha256.update(line)
        if line.startswith(b'{"model": '):
            if not (row := _ROW.match(line)):
                raise BackupError(f"{path} is damaged: a row names no model")
            rows[row[1].decode("ascii")] += 1
    if sha256.hexdigest() != header["content_sha256"]:
        raise BackupError(f"{path} is damaged: its content does not match its checksum")
    expected = {label: n for label, n in header["row_counts"].items() if n}
    for label, n in rows.items():
        if expected.get(label) != n:
            raise BackupError(f"{path} is damaged: {n} rows of {label} do not match its header")
    return header


def _check_migrations(header: dict[str, Any], using: str) -> None:
    ours, theirs = migration_state(using), header["migrations"]
    if ours == theirs:
        return
    differences = [
        f"{app}: backup {theirs.get(app, '-')}, database {ours.get(app, '-')}"
        for app in sorted(set(ours) | set(theirs))
        if ours.get(app) != theirs.get(app)
    ]
    raise BackupError(
        "the backup was made at another migration state; migrate a database to the backup's "
        "state (credence migrate <app> <migration>) and restore into it. Differences: "
        + "; ".join(differences)
    )


def _non_empty_tables() -> list[str]:
    return [
        model._meta.label_lower
        for model in _tables()
        if model._meta.label_lower not in _CREATED_BY_MIGRATE and model._base_manager.exists()
    ]


def _delete_everything(using: str) -> None:
    connection = connections[using]
    tables = [model._meta.db_table for model in _tables()]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
    connection.ops.execute_sql_flush(statements)


def _records(path: Path) -> Iterable[dict[str, Any]]:
    lines = _lines(path)
    next(lines)  # the header, already read and checked
    for line in lines:
        yield json.loads(line)


def _restore_keys(records: Iterable[dict[str, Any]]) -> int:
    """Write the key files of the backup that the keys folder lacks; never overwrite one."""
    folder = Path(settings.CREDENCE_KEYS_DIR)
    written = 0
    for record in records:
        name = Path(record["key_file"]).name  # a name, never a path out of the folder
        data = base64.b64decode(record["data"])
        target = folder / name
        if target.exists():
            if target.read_bytes() != data:
                raise BackupError(f"key file {target} exists with other content; not replaced")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        written += 1
    return written


def restore(
    path: Path, *, replace: bool = False, with_keys: bool = False, using: str = DEFAULT_DB_ALIAS
) -> Summary:
    """Replace every row of the database by the backup's, all or nothing."""
    path = Path(path)
    header = read_header(path)
    _check_migrations(header, using)
    connection = connections[using]
    keys: list[dict[str, Any]] = []
    with audit_maintenance(using):
        occupied = _non_empty_tables()
        if occupied and not replace:
            raise BackupError(
                f"the database is not empty (rows in {', '.join(occupied[:5])}"
                f"{', ...' if len(occupied) > 5 else ''}); restore into a freshly migrated "
                "database, or pass --replace to discard its rows"
            )
        _delete_everything(using)
        rows = []
        for record in _records(path):
            if "key_file" in record:
                keys.append(record)
                continue
            rows.append(record)
            if len(rows) == 1000:
                _load(rows, using)
                rows = []
        _load(rows, using)
        loaded = _row_counts()
        if loaded != {label: header["row_counts"].get(label, 0) for label in loaded}:
            raise BackupError(
                "the restored row counts differ from the backup's header; nothing was restored"
            )
        # Foreign keys are checked at commit (deferred); check here for a clear message.
        connection.check_constraints()
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(no_style(), _tables())
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    if with_keys:
        header = {**header, "key_files_written": _restore_keys(keys)}
    return Summary(path=path, header=header)


def _insert_raw(model: type[models.Model], objects: list[models.Model], using: str) -> None:
    """INSERT the objects as they are. ``bulk_create`` would give auto_now fields the current
    time; the raw insert that ``save_base(raw=True)`` (and so ``loaddata``) uses keeps every
    value, in batches as large as the backend allows."""
    fields = model._meta.local_concrete_fields
    size = max(1, connections[using].ops.bulk_batch_size(fields, objects) or len(objects))
    for start in range(0, len(objects), size):
        # QuerySet._insert is the private method save_base(raw=True) uses; django-stubs
        # leaves it out.
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            objects[start : start + size], fields=fields, raw=True, using=using
        )


def _load(records: list[dict[str, Any]], using: str) -> None:
    """Insert a batch of rows. They arrive grouped by table; a restore is a raw load, like
    ``loaddata``: no model ``save()`` and no signals run."""
    try:
        rows = [row.object for row in PythonDeserializer(records, using=using)]
    except DeserializationError as error:
        raise BackupError(f"a row of the backup cannot be loaded: {error}") from error
    for model, group in itertools.groupby(rows, key=type):
        _insert_raw(model, list(group), using)
