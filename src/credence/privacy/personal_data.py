"""The privacy app's own part: the person's erasure requests, kept as the record of what was
done (they hold ids, dates and the per-model summary only)."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.privacy.models import ErasureRequest


def export_user_data(user: User) -> Export:
    return {label(ErasureRequest): rows(ErasureRequest.objects.filter(user=user))}


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    return {label(ErasureRequest): "kept (the record of the erasure)"}
