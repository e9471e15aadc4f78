"""Writes of the accommodations app: request, decide. Each checks its rule, records the
audit event in the same transaction and leaves nothing behind when refused (decision 0052)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from credence.accommodations import documents
from credence.accommodations.models import (
    Accommodation,
    AccommodationDocument,
    AccommodationStatus,
)
from credence.accommodations.policy import Request, may_decide, may_request
from credence.accommodations.tasks import send_accommodation_decided
from credence.accounts.access import is_office
from credence.accounts.models import User
from credence.audit.api import record
from credence.core.decisions import Refused, RuleRefused


class AccommodationRefused(RuleRefused):
    """A rule refuses; carries the decision so the caller can say which and why."""


def _snapshot(accommodation: Accommodation) -> dict[str, Any]:
    return {
        "kind": accommodation.kind,
        "time_factor": str(accommodation.time_factor) if accommodation.time_factor else None,
        "status": accommodation.status,
        "valid_from": accommodation.valid_from.isoformat() if accommodation.valid_from else None,
        "valid_until": (
            accommodation.valid_until.isoformat() if accommodation.valid_until else None
        ),
    }


def accommodation_request(
    *,
    candidate: User,
    kind: str,
    time_factor: Decimal | None,
    details: str,
    uploads: Sequence[UploadedFile[bytes]],
    now: datetime | None = None,
) -> Accommodation:
    """The candidate asks for an accommodation with supporting documents (AC1). Every
    document is checked before any is stored; a refusal stores neither rows nor files."""
    decision = may_request(
        Request(kind=kind, time_factor=time_factor, details=details, documents=len(uploads))
    )
    if isinstance(decision, Refused):
        raise AccommodationRefused(decision)
    try:
        checked = [documents.check(upload) for upload in uploads]
    except documents.DocumentRejected as rejected:
        raise AccommodationRefused(Refused(rule="AC1", reason=str(rejected))) from None
    stored: list[str] = []
    try:
        with transaction.atomic():
            accommodation = Accommodation.objects.create(
                candidate=candidate,
                kind=kind,
                time_factor=time_factor,
                details=details.strip(),
                requested_at=now or timezone.now(),
            )
            for document in checked:
                name = documents.FOLDER.store(document.data, document.kind)
                stored.append(name)
                AccommodationDocument.objects.create(
                    accommodation=accommodation,
                    stored_name=name,
                    original_name=document.original_name,
                    kind=document.kind,
                    size=len(document.data),
                    sha256=document.sha256,
                )
            record(
                action="accommodation.requested",
                subject=accommodation,
                actor=candidate,
                subject_user=candidate,
                reason="AC1",
                after={**_snapshot(accommodation), "documents": [d.sha256 for d in checked]},
            )
    except BaseException:
        for name in stored:
            documents.FOLDER.discard(name)
        raise
    return accommodation


@transaction.atomic
def accommodation_decide(
    *,
    accommodation: Accommodation,
    approve: bool,
    valid_from: date | None,
    valid_until: date | None,
    note: str,
    acting_user: User,
    now: datetime | None = None,
) -> Accommodation:
    """The program office approves the request with its validity period, or refuses it with
    its reasons: once (AC2). From then on it applies by itself (AC3); the candidate is
    told by mail and on their path."""
    if not is_office(acting_user):
        raise PermissionError("only the program office decides accommodations")
    now = now or timezone.now()
    accommodation = Accommodation.objects.select_for_update().get(pk=accommodation.pk)
    decision = may_decide(
        status=accommodation.status,
        approve=approve,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        today=timezone.localdate(now),
    )
    if isinstance(decision, Refused):
        raise AccommodationRefused(decision)
    before = _snapshot(accommodation)
    accommodation.status = AccommodationStatus.APPROVED if approve else AccommodationStatus.REFUSED
    accommodation.valid_from = valid_from if approve else None
    accommodation.valid_until = valid_until if approve else None
    accommodation.decision_note = note.strip()
    accommodation.decided_at, accommodation.decided_by = now, acting_user
    accommodation.save(
        update_fields=[
            "status",
            "valid_from",
            "valid_until",
            "decision_note",
            "decided_at",
            "decided_by",
        ]
    )
    record(
        action="accommodation.approved" if approve else "accommodation.refused",
        subject=accommodation,
        actor=acting_user,
        subject_user=accommodation.candidate,
        reason="AC2",
        before=before,
        after=_snapshot(accommodation),
    )
    # mailed by the task worker; the task is a row of this transaction
    send_accommodation_decided.enqueue(accommodation_id=accommodation.pk)
    return accommodation
