"""The accommodations app's part of the data-protection rights (docs/data-protection.md).

An accommodation is about the candidate (often their health) and nothing else rests on it:
erasure deletes the requests and their documents, files included. The audit trail keeps that
requests were made and decided."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from credence.accommodations import documents
from credence.accommodations.models import (
    Accommodation,
    AccommodationDocument,
    AccommodationStatus,
)
from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, ExportFile, label, rows


def export_user_data(user: User) -> Export:
    mine = Accommodation.objects.filter(candidate=user)
    return {
        label(Accommodation): rows(mine),
        label(AccommodationDocument): rows(
            AccommodationDocument.objects.filter(accommodation__in=mine)
        ),
    }


def export_user_files(user: User) -> list[ExportFile]:
    files: list[ExportFile] = []
    for item in AccommodationDocument.objects.filter(accommodation__candidate=user).order_by("pk"):
        try:
            data = documents.FOLDER.path_of(item.stored_name).read_bytes()
        except FileNotFoundError:
            continue  # already removed by the retention purge
        name = documents.FOLDER.download_name(item.original_name, item.kind)
        files.append((f"accommodations/{item.accommodation_id}/{item.pk}-{name}", data))
    return files


def _delete_documents(items: Any) -> int:
    """Remove the rows, then the files once the rows are gone (a rollback keeps both)."""
    names = list(items.values_list("stored_name", flat=True))
    deleted, _ = items.delete()

    def discard_files() -> None:
        for name in names:
            documents.FOLDER.discard(name)

    transaction.on_commit(discard_files)
    return deleted


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    mine = Accommodation.objects.filter(candidate=user)
    files = _delete_documents(AccommodationDocument.objects.filter(accommodation__in=mine))
    deleted, _ = mine.delete()
    return {
        label(Accommodation): f"deleted {deleted}",
        label(AccommodationDocument): f"deleted {files} (rows and files)",
    }


def documents_purge(*, ended_before: date, decided_before: datetime, dry_run: bool) -> int:
    """Delete the documents of approvals whose validity ended before ``ended_before`` and of
    refusals decided before ``decided_before`` (retention: accommodation_documents); the
    accommodation and its decision stay."""
    old = AccommodationDocument.objects.filter(
        Q(
            accommodation__status=AccommodationStatus.APPROVED,
            accommodation__valid_until__lt=ended_before,
        )
        | Q(
            accommodation__status=AccommodationStatus.REFUSED,
            accommodation__decided_at__lt=decided_before,
        )
    )
    if dry_run:
        return old.count()
    return _delete_documents(old)
