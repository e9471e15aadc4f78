"""HTTP API of accommodations: a candidate's own accommodations, and requesting one with its
supporting documents (rule AC1) as multipart/form-data. Deciding stays on the accommodation's
page, where the program office reads the documents (decision 0052)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from credence.accommodations import selectors, services
from credence.accommodations.models import Accommodation, AccommodationKind
from credence.accommodations.policy import may_claim_fields
from credence.core.decisions import Refused
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["accommodations"])


class AccommodationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: AccommodationKind = Field(description="What is needed.")
    time_factor: Decimal | None = Field(
        default=None,
        description="Only for extra_time: the time limit's factor, 1.1 to 3 (1.5: 40 → 60 min).",
    )
    details: str = Field(description="What is needed and why (at most 5,000 characters).")


class DocumentOut(Schema):
    name: str
    kind: str = Field(description="pdf, png or jpeg, as the file's bytes say")
    size: int
    sha256: str


class AccommodationOut(Schema):
    id: int
    kind: str
    time_factor: Decimal | None
    requested_at: datetime
    status: str = Field(description="pending, approved or refused")
    valid_from: date | None
    valid_until: date | None
    decided_at: datetime | None
    note: str = Field(description="The program office's note, once decided.")
    documents: list[DocumentOut]


def _out(accommodation: Accommodation) -> AccommodationOut:
    return AccommodationOut(
        id=accommodation.pk,
        kind=accommodation.kind,
        time_factor=accommodation.time_factor,
        requested_at=accommodation.requested_at,
        status=accommodation.status,
        valid_from=accommodation.valid_from,
        valid_until=accommodation.valid_until,
        decided_at=accommodation.decided_at,
        note=accommodation.decision_note,
        documents=[
            DocumentOut(name=d.original_name, kind=d.kind, size=d.size, sha256=d.sha256)
            for d in accommodation.documents.all()
        ],
    )


@router.get(
    "/accommodations", response={200: list[AccommodationOut], **errors(401, 422)}, auth=signed_in
)
@paginate(Page)
def accommodations(request: HttpRequest) -> list[AccommodationOut]:
    """The caller's own accommodations, the latest request first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [_out(a) for a in selectors.accommodations_of(request.user)]


@router.post(
    "/accommodations/new",
    response={201: AccommodationOut, **errors(400, 401, 403, 409, 422)},
    auth=signed_in,
)
def accommodation_new(
    request: HttpRequest,
    payload: Form[AccommodationIn],
    documents: File[list[UploadedFile]],
) -> Status:
    """Request an accommodation with one to five supporting documents (PDF, PNG or JPEG),
    sent as multipart/form-data (AC1). A refusal, a bad document included, answers 409 with
    the rule and stores nothing. The program office decides it (AC2); approved, it applies by
    itself to every test and interview in its validity period (AC3); a request that carries
    what only the office sets (``status``, ``valid_from``, ``valid_until`` …) is refused
    with AC2."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    claimed = may_claim_fields(request.POST.keys())
    if isinstance(claimed, Refused):
        raise services.AccommodationRefused(claimed)
    accommodation = services.accommodation_request(
        candidate=request.user,
        kind=payload.kind,
        time_factor=payload.time_factor,
        details=payload.details,
        uploads=documents,
    )
    return Status(201, _out(selectors.accommodation_of(accommodation.pk)))
