"""The recognition app's part of the data-protection rights (docs/data-protection.md).

Erasure deletes every evidence file and its row. A claim that granted a waiver stays as the
reason for that waiver (R10), reduced to which certification was recognised and when; every
other claim is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, ExportFile, label, rows
from credence.recognition import evidence as evidence_files
from credence.recognition.models import Claim, ClaimEvidence


def export_user_data(user: User) -> Export:
    claims = Claim.objects.filter(candidate=user)
    return {
        label(Claim): rows(claims),
        label(ClaimEvidence): rows(ClaimEvidence.objects.filter(claim__in=claims)),
    }


def export_user_files(user: User) -> list[ExportFile]:
    files: list[ExportFile] = []
    for item in ClaimEvidence.objects.filter(claim__candidate=user).order_by("pk"):
        try:
            data = evidence_files.FOLDER.path_of(item.stored_name).read_bytes()
        except FileNotFoundError:
            continue  # already removed by the retention purge's file step
        name = evidence_files.FOLDER.download_name(item.original_name, item.kind)
        files.append((f"claims/{item.claim_id}/{item.pk}-{name}", data))
    return files


def _delete_evidence(items: Any) -> int:
    """Remove the rows, then the files once the rows are gone (a rollback keeps both)."""
    from django.db import transaction

    names = list(items.values_list("stored_name", flat=True))
    deleted, _ = items.delete()

    def discard_files() -> None:
        for name in names:
            evidence_files.FOLDER.discard(name)

    transaction.on_commit(discard_files)
    return deleted


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    claims = Claim.objects.filter(candidate=user)
    files = _delete_evidence(ClaimEvidence.objects.filter(claim__in=claims))
    relied_on = claims.filter(waiver__isnull=False)
    relied_on.update(credential_id="", credential_url="", note="", staff_message="")
    deleted, _ = claims.filter(waiver__isnull=True).delete()
    return {
        label(Claim): f"deleted {deleted}; {relied_on.count()} kept behind a waiver, stripped",
        label(ClaimEvidence): f"deleted {files} (rows and files)",
    }


def evidence_purge(*, decided_before: datetime, dry_run: bool) -> int:
    """Delete the evidence of claims decided before ``decided_before`` (retention:
    claims_evidence); the decision itself stays."""
    old = ClaimEvidence.objects.filter(
        claim__decided_at__isnull=False, claim__decided_at__lt=decided_before
    )
    if dry_run:
        return old.count()
    return _delete_evidence(old)
