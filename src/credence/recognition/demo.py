"""Demo data of the recognition app: the signal guide and a pending partial-credit claim,
written through the services (demo/data.py calls it)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from credence.catalog import api as catalog_api
from credence.recognition.models import Claim
from credence.recognition.services import claim_file, signal_guide_load

# A minimal, valid one-page PDF: enough for the evidence check and a download.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def guide_for_demo(*, staff: Any) -> None:
    signal_guide_load(acting_user=staff)


def pending_claim_for_demo(*, candidate: Any, today: date) -> None:
    """A claim for Google's ML Engineer certification, waiting in the staff queue."""
    if Claim.objects.filter(candidate=candidate).exists():
        return
    external = catalog_api.program_model().external_certifications.get(code="google-ml-engineer")
    claim_file(
        candidate=candidate,
        external=external,
        credential_id="PMLE-DEMO-0001",
        issued_on=today - timedelta(days=240),
        expires_on=today + timedelta(days=490),
        note="Passed in March; the PDF is the provider's certificate.",
        evidence=[SimpleUploadedFile("google-pmle.pdf", DEMO_PDF, "application/pdf")],
        acting_user=candidate,
        today=today,
    )
