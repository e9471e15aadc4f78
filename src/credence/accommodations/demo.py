"""Demo data of the accommodations app, written through the services (demo/data.py calls
it): an approved extra time and a request waiting for the office (decision 0052)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credence.accommodations.models import Accommodation
from credence.accommodations.services import accommodation_decide, accommodation_request

# A minimal, valid one-page PDF: enough for the document check and a download.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _letter(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, "application/pdf")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def approved_extra_time_for_demo(*, candidate: Any, staff: Any, today: date) -> None:
    """Extra time x1.5, approved a month ago for a year: every test and interview of the
    candidate's in that year is lengthened by itself."""
    if Accommodation.objects.filter(candidate=candidate).exists():
        return
    accommodation = accommodation_request(
        candidate=candidate,
        kind="extra_time",
        time_factor=Decimal("1.5"),
        details="Dyslexia: reading and writing under time pressure take me longer.",
        uploads=[_letter("dyslexia-assessment.pdf")],
        now=_at(today - timedelta(days=40)),
    )
    accommodation_decide(
        accommodation=accommodation,
        approve=True,
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=335),
        note="Approved on the assessment you sent; it applies to every test and interview.",
        acting_user=staff,
        now=_at(today - timedelta(days=30)),
    )


def pending_request_for_demo(*, candidate: Any, today: date) -> None:
    """Rest breaks, requested two days ago, waiting on the office's Accommodations desk."""
    if Accommodation.objects.filter(candidate=candidate).exists():
        return
    accommodation_request(
        candidate=candidate,
        kind="rest_breaks",
        time_factor=None,
        details="Type 1 diabetes: a five-minute break every 45 minutes to check and eat.",
        uploads=[_letter("medical-certificate.pdf")],
        now=_at(today - timedelta(days=2)),
    )
