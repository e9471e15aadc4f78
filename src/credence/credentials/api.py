"""What other apps may ask of the credentials app."""

from __future__ import annotations

from credence.credentials.personal_data import erase_user_data, export_user_data, export_user_files
from credence.credentials.records import certificate_records_for
from credence.credentials.selectors import certificates_for
from credence.credentials.services import (
    certificates_award_due,
    certificates_withdraw,
    credentials_issue_all,
)

__all__ = [
    "certificate_records_for",
    "certificates_award_due",
    "certificates_for",
    "certificates_withdraw",
    "credentials_issue_all",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
]
