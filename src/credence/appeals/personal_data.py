"""The appeals app's part of the data-protection rights (docs/data-protection.md).

An appeal stays after erasure with its outcome and dates (an upheld appeal may have changed a
result the records rest on); the candidate's reasons and the reviewer's decision, which are
about the person, are erased."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.models import User
from credence.appeals.models import Appeal
from credence.core.personal_data import ErasureSummary, Export, label, rows


def export_user_data(user: User) -> Export:
    return {
        label(Appeal): rows(Appeal.objects.filter(candidate=user)),
        # the appeals they were asked to review, without the candidates' reasons
        f"{label(Appeal)} (to review)": rows(
            Appeal.objects.filter(reviewer=user), exclude=("reasons",)
        ),
    }


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    erased = Appeal.objects.filter(candidate=user).update(reasons="", decision="")
    return {label(Appeal): f"{erased} appeals kept without their reasons and decisions"}
