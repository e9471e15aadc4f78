"""HTTP API for certificates: anyone verifies a signed credential (the same checks as the
offline verifier and the verification page); a holder lists their own certificates."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Router, Schema
from ninja.pagination import paginate

from credence.catalog import api as catalog_api
from credence.credentials import selectors
from credence.credentials.verification import verify_credential
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["credentials"])


class StatusOut(Schema):
    purpose: str
    state: str
    detail: str


class VerificationOut(Schema):
    standing: str
    signature_valid: bool
    status_checked: bool
    problems: list[str]
    statuses: list[StatusOut]
    issuer: str | None
    valid_from: str | None
    valid_until: str | None


class CertificateOut(Schema):
    serial: str
    award: str
    name: str
    issued_on: date
    valid_until: date
    standing: str
    verification_url: str


@router.post("/credentials/verify", response={200: VerificationOut, **errors(400, 422)}, auth=None)
def verify(request: HttpRequest, credential: Body[dict[str, Any]]) -> VerificationOut:
    """Verify an Open Badges 3.0 / VC 2.0 credential sent as the JSON body: its proof
    against our issuer's DID document (a ``did:key`` issuer needs none), its dates and its
    status against our signed status lists. A credential that fails any check answers 200
    with ``standing: invalid`` and the problems; only a body that is not a JSON object is
    a 422. Nothing is stored."""
    report = verify_credential(
        credential,
        now=timezone.now(),
        did_documents={selectors.issuer_did(): selectors.did_document()},
        status_lists=selectors.own_status_list,
    )
    data = report.as_dict()
    return VerificationOut(
        standing=data["standing"],
        signature_valid=report.signature_valid,
        status_checked=report.status_checked,
        problems=data["problems"],
        statuses=data["statuses"],
        issuer=report.issuer,
        valid_from=report.valid_from,
        valid_until=report.valid_until,
    )


@router.get(
    "/certificates", response={200: list[CertificateOut], **errors(401, 403, 422)}, auth=signed_in
)
@paginate(Page)
def certificates(request: HttpRequest) -> list[CertificateOut]:
    """The caller's own certificates, valid or not, with their standing today."""
    held = selectors.certificates_for(request.user)
    rules = catalog_api.program_rules() if held else None
    return [
        CertificateOut(
            serial=c.serial,
            award=c.award,
            name=selectors.describe_award(rules, c.award).name if rules else c.award,
            issued_on=c.issued_on,
            valid_until=c.valid_until,
            standing=str(selectors.standing_on(c)),
            verification_url=selectors.verification_url(c.serial),
        )
        for c in held
    ]
