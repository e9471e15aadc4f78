"""Reads of the privacy app: everything held about a person (the export's data), a person's
requests, the facts an erasure is decided on, and the program office's erasure queue with
each request's current decision."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from credence.accounts.models import User
from credence.billing import api as billing_api
from credence.catalog import api as catalog_api
from credence.core.decisions import Decision
from credence.core.personal_data import Export
from credence.exams import api as exams_api
from credence.portfolios import api as portfolios_api
from credence.privacy import registry
from credence.privacy.models import ErasureRequest, ErasureStatus
from credence.privacy.policy import ErasureFacts, grace_ends, may_erase

EXPORT_FORMAT = "credence-personal-data/1"


def retention_days(kind: str) -> int | None:
    return settings.CREDENCE_RETENTION[kind]


def user_data(user: User) -> dict[str, Any]:
    """Everything held about ``user``, as plain data: ``{"format", "exported_at", "user",
    "data": {model label: [row, ...]}}`` (docs/data-protection.md, "Export format")."""
    data: Export = {}
    for section in registry.SECTIONS:
        data.update(section.export_user_data(user))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "user": {"id": user.pk, "email": user.email, "full_name": user.full_name},
        "data": data,
    }


def user_data_json(user: User) -> str:
    return json.dumps(user_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def requests_of(user: User) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(user=user).order_by("-requested_at", "-id")


def pending_request_of(user: User) -> ErasureRequest | None:
    return requests_of(user).filter(status=ErasureStatus.PENDING).first()


@dataclass(frozen=True)
class QueueRow:
    request: ErasureRequest
    grace_ends: datetime
    decision: Decision


def erasure_facts(user: User, request: ErasureRequest) -> ErasureFacts:
    owes, owed_to_them = billing_api.money_open(user)
    return ErasureFacts(
        requested_at=request.requested_at,
        grace_days=retention_days("erasure_grace") or 0,
        owes=owes,
        owed_to_them=owed_to_them,
        currency=catalog_api.program_rules().currency,
        ongoing_attempts=exams_api.ongoing_attempts(user),
        portfolios_in_evaluation=portfolios_api.in_evaluation(user),
    )


def erasure_queue(now: datetime | None = None) -> list[QueueRow]:
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
