from __future__ import annotations

from typing import Any

from credence.credentials.models import Certificate
from credence.credentials.policy import CertificateRecord


def certificate_records_for(holder: Any) -> tuple[CertificateRecord, ...]:
    return tuple(
        CertificateRecord(
            award=c.award, issued_on=c.issued_on, valid_until=c.valid_until, revoked_on=c.revoked_on
        )
        for c in Certificate.objects.filter(holder=holder).order_by("issued_on", "id")
    )


def certificates_for(holder: Any) -> list[Certificate]:
    return list(
        Certificate.objects.filter(holder=holder)
        .select_related("certification")
        .order_by("-issued_on", "award")
    )
