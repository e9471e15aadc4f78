"""The item bank's part of the data-protection rights: the item versions an author saved and
the challenge decisions they made. The items and decisions stay (tests were scored against
them); the link to the person is removed."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.items.models import ItemVersion, KeyRuling


def export_user_data(user: User) -> Export:
    # Which versions they saved, not the content: the item bank is the program's secret.
    return {
        label(ItemVersion): rows(ItemVersion.objects.filter(created_by=user), exclude=("content",)),
        label(KeyRuling): rows(KeyRuling.objects.filter(decided_by=user), exclude=("key",)),
    }


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    unlinked = ItemVersion.objects.filter(created_by=user).update(created_by=None)
    decided = KeyRuling.objects.filter(decided_by=user).update(decided_by=None)
    return {
        label(ItemVersion): f"author link removed from {unlinked}",
        label(KeyRuling): f"link to the decider removed from {decided}",
    }
