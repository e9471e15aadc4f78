"""The learning app's part of the data-protection rights: the candidate's path plan, deleted
on erasure (nothing relies on it)."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.learning.models import PathPlan


def export_user_data(user: User) -> Export:
    return {label(PathPlan): rows(PathPlan.objects.filter(candidate=user))}


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    deleted, _ = PathPlan.objects.filter(candidate=user).delete()
    return {label(PathPlan): f"deleted {deleted}"}
