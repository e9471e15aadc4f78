"""The psychometrics app's part of the data-protection rights: a person's seats on
standard-setting panels. The panel stays with the standard it justifies (R4); the name
recorded for the panellist becomes the account's pseudonym."""

from __future__ import annotations

from datetime import datetime

from credence.accounts.api import pseudonym_name
from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, label, rows
from credence.psychometrics.models import Panellist


def export_user_data(user: User) -> Export:
    return {label(Panellist): rows(Panellist.objects.filter(user=user))}


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    renamed = Panellist.objects.filter(user=user).update(name=pseudonym_name(user))
    return {label(Panellist): f"kept with its standard; name pseudonymized on {renamed}"}
