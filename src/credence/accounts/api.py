"""What other apps may ask of the accounts app: the account's personal data (privacy), and
the lock every write to one candidate's record takes first."""

from __future__ import annotations

from credence.accounts.personal_data import erase_user_data, export_user_data, pseudonym_name
from credence.accounts.services import user_lock

__all__ = [
    "erase_user_data",
    "export_user_data",
    "pseudonym_name",
    "user_lock",
]
