"""The credentials app's part of the data-protection rights (docs/data-protection.md).

A certificate is public by design and must stay verifiable after its holder's erasure: the
row, its status-list entry and the signed credential stay exactly as issued (a signature
covers every byte, and the holder may be presenting their copy). The signed credential is
therefore the one place the holder's name outlives the erasure (it holds a salted hash of the
e-mail address, never the address). Everything else derived from the account (the PDF, the
verification page's holder line) shows the pseudonym from then on."""

from __future__ import annotations

import json
from datetime import datetime

from credence.accounts.models import User
from credence.core.personal_data import ErasureSummary, Export, ExportFile, label, rows
from credence.credentials.models import Certificate, EvidenceChoice, ExpiryReminder


def export_user_data(user: User) -> Export:
    certificates = Certificate.objects.filter(holder=user)
    return {
        label(Certificate): rows(certificates),
        label(ExpiryReminder): rows(ExpiryReminder.objects.filter(certificate__in=certificates)),
        label(EvidenceChoice): rows(EvidenceChoice.objects.filter(holder=user)),
    }


def export_user_files(user: User) -> list[ExportFile]:
    """Each certificate as PDF, and its signed credential when it has been signed."""
    # here, not at the top: the PDF brings fpdf, lxml and matplotlib, which every process
    # importing credentials.api would otherwise load at start-up (issue 14), as billing's does
    from credence.credentials.artwork import certificate_pdf

    files: list[ExportFile] = []
    for certificate in Certificate.objects.filter(holder=user).select_related(
        "holder", "program", "certification"
    ):
        folder = f"certificates/{certificate.serial}"
        files.append((f"{folder}/certificate.pdf", certificate_pdf(certificate)))
        if certificate.credential is not None:
            signed = json.dumps(certificate.credential, indent=2, ensure_ascii=False)
            files.append((f"{folder}/credential.json", signed.encode()))
    return files


def erase_user_data(user: User, *, now: datetime) -> ErasureSummary:
    reminders, _ = ExpiryReminder.objects.filter(certificate__holder=user).delete()
    # the evidence pages of an erased holder show nothing about them (decision 0054): their
    # choices give way to one that makes nothing public
    choices, _ = EvidenceChoice.objects.filter(holder=user).delete()
    EvidenceChoice.objects.create(
        holder=user, show_name=False, show_bands=False, show_repository=False, show_report=False
    )
    return {
        label(Certificate): "kept (must stay verifiable; signed credential unchanged)",
        label(ExpiryReminder): f"deleted {reminders}",
        label(EvidenceChoice): f"deleted {choices}; nothing is public from now on",
    }
