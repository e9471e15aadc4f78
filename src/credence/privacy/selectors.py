"""Reads of the privacy app: a person's requests, and the program office's erasure queue with
each request's current decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from credence.accounts.models import User
from credence.core.decisions import Decision
from credence.privacy.models import ErasureRequest, ErasureStatus
from credence.privacy.policy import grace_ends, may_erase


def requests_of(user: User) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(user=user).order_by("-requested_at", "-id")


def pending_request_of(user: User) -> ErasureRequest | None:
    return requests_of(user).filter(status=ErasureStatus.PENDING).first()


@dataclass(frozen=True)
class QueueRow:
    request: ErasureRequest
    grace_ends: datetime
    decision: Decision


def erasure_queue(now: datetime | None = None) -> list[QueueRow]:
    from credence.privacy.services import erasure_facts, retention_days

    moment = now or timezone.now()
    rows = []
    for request in ErasureRequest.objects.filter(status=ErasureStatus.PENDING).select_related(
        "user"
    ):
        facts = erasure_facts(request.user, request)
        rows.append(
            QueueRow(
                request=request,
                grace_ends=grace_ends(request.requested_at, retention_days("erasure_grace") or 0),
                decision=may_erase(facts, now=moment),
            )
        )
    return rows


def recently_carried_out(limit: int = 20) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(status=ErasureStatus.CARRIED_OUT).order_by(
        "-carried_out_at"
    )[:limit]
