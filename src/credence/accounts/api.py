"""What other apps may ask of the accounts app: the account's personal data (privacy)."""

from __future__ import annotations

from credence.accounts.personal_data import erase_user_data, export_user_data

__all__ = ["erase_user_data", "export_user_data"]
