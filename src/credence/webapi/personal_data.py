"""The web API's part of the data-protection rights: a person's API tokens. Erasure revokes
them and keeps the rows (only a digest is stored, which identifies nobody)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.webapi.models import ApiToken


def export_user_data(user: Any) -> Export:
    return {label(ApiToken): rows(ApiToken.objects.filter(user=user), exclude=("digest",))}


def erase_user_data(user: Any, *, now: datetime) -> ErasureSummary:
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    return {label(ApiToken): f"kept; {revoked} revoked"}
