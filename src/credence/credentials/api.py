"""What other apps may ask of the credentials app."""

from __future__ import annotations

import os

from django.conf import settings

from credence.credentials.personal_data import erase_user_data, export_user_data, export_user_files
from credence.credentials.selectors import certificate_records_for, certificates_for
from credence.credentials.services import certificates_award_due, credentials_issue_all

__all__ = [
    "certificate_records_for",
    "certificates_award_due",
    "certificates_for",
    "credentials_issue_all",
    "erase_user_data",
    "export_user_data",
    "export_user_files",
    "use_local_issuer",
]


def use_local_issuer(*, host: str, port: int) -> None:
    """Point the issuer at a local server (the demo): its did:web, verification pages and QR
    codes then name http://HOST:PORT, unless CREDENCE_ISSUER_DOMAIN or CREDENCE_PUBLIC_URL
    are set explicitly."""
    if not os.environ.get("CREDENCE_ISSUER_DOMAIN"):
        settings.CREDENCE_ISSUER_DOMAIN = f"{host}:{port}"
    if not os.environ.get("CREDENCE_PUBLIC_URL"):
        settings.CREDENCE_PUBLIC_URL = f"http://{host}:{port}"
