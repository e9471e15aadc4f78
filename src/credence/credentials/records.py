"""A holder's certificates as the rules read them (``CertificateRecord``): every booking reads
them through the exams app's port, which ``CredentialsConfig.ready()`` fills with
``certificate_records_for`` (decision 0055). A module of its own, apart from the selectors:
it is imported at start-up, and the selectors bring the signing and verification stack."""

from __future__ import annotations

from typing import Any

from credence.core.compiled import CompiledRead
from credence.credentials.models import Certificate
from credence.exams.api import CertificateRecord

# read by every booking (a candidate's history): compiled once (decision 0047, issue 14)
_RECORDS = CompiledRead(
    lambda holder: (
        Certificate.objects.filter(holder=holder)
        .order_by("issued_on", "id")
        .values_list("award", "issued_on", "valid_until", "revoked_on")
    )
)


def certificate_records_for(holder: Any) -> tuple[CertificateRecord, ...]:
    return tuple(
        CertificateRecord(award=award, issued_on=issued, valid_until=until, revoked_on=revoked)
        for award, issued, until, revoked in _RECORDS.rows(holder.pk)
    )


def certificate_record(c: Certificate) -> CertificateRecord:
    return CertificateRecord(
        award=c.award, issued_on=c.issued_on, valid_until=c.valid_until, revoked_on=c.revoked_on
    )
