"""The challenges app's part of the data-protection rights (docs/data-protection.md).

A challenge stays after erasure with its item, outcome and dates (its decision may have
rescored results the records rest on); the candidate's reasons, which are theirs, are
erased."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.challenges.models import Challenge
from credence.core.personal_data import ErasureSummary, Export, label, rows


def export_user_data(user: User) -> Export:
    return {label(Challenge): rows(Challenge.objects.filter(candidate=user))}


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    erased = Challenge.objects.filter(candidate=user).update(reasons="")
    return {label(Challenge): f"{erased} challenges kept without their reasons"}
