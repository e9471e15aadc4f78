"""What other apps may ask of the credentials app."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

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
    "use_local_issuer",
]


def use_local_issuer(*, host: str, port: int) -> str:
    """Point the issuer at a local server (the demo): its did:web, verification pages and QR
    codes then name http://HOST:PORT, unless CREDENCE_ISSUER_DOMAIN or CREDENCE_PUBLIC_URL
    are set explicitly. The address is recorded in var/public_url, which settings read, so
    that `serve`, the worker and the CLI sign and verify as this same issuer. Returns the
    public address in force."""
    if os.environ.get("CREDENCE_ISSUER_DOMAIN") or os.environ.get("CREDENCE_PUBLIC_URL"):
        return settings.CREDENCE_PUBLIC_URL
    url = f"http://{host}:{port}"
    path = Path(settings.PUBLIC_URL_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")
    settings.CREDENCE_PUBLIC_URL = url
    settings.CREDENCE_ISSUER_DOMAIN = f"{host}:{port}"
    return url
