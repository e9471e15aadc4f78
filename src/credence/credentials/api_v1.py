"""HTTP API for certificates: anyone verifies a signed credential (the same checks as the
offline verifier and the verification page) or up to 1,000 at once (credentials, serials or
certificate links); a holder lists their own certificates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Field, Router, Schema
from ninja.pagination import paginate

from credence.catalog import api as catalog_api
from credence.credentials import bulk, selectors
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors, problem

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
    report = selectors.OwnTrust.read().verify(credential, timezone.now())
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


class VerificationsIn(Schema):
    items: list[dict[str, Any] | str] = Field(
        description=(
            f"1 to {bulk.MAX_ITEMS} items, each a signed credential (a JSON object), a "
            "certificate's serial number (CRD-XXXXXXXXXX) or the link its QR code holds "
            "(https://<this site>/certificates/<serial>/)."
        )
    )


class ItemCheckOut(Schema):
    index: int = Field(description="The item's place in the request, from 0.")
    kind: str = Field(description="credential, serial or link")
    serial: str | None = Field(description="This platform's serial, when the item is one of ours.")
    verification: str = Field(description="valid, invalid or could_not_check")
    status: str | None = Field(
        description="active, expired, suspended, revoked or not_yet_valid; null unless valid"
    )
    standing: str = Field(description="The verdict of the verification page, in one word.")
    issuer: str | None
    issuer_is_this_platform: bool
    holder: str | None = Field(description="The holder's name as the credential states it.")
    achievement: str | None
    valid_until: str | None
    reason: str


class VerificationsOut(Schema):
    checked_at: datetime
    counts: dict[str, int] = Field(
        description="Items by verification: valid, invalid, could_not_check."
    )
    results: list[ItemCheckOut]


@router.post(
    "/verifications",
    response={200: VerificationsOut, **errors(400, 413, 422, 429)},
    auth=None,
    throttle=[bulk.BatchThrottle()],
)
def verifications(request: HttpRequest, body: VerificationsIn) -> Any:
    """Check up to 1,000 credentials at once, for an employer: each item is verified as
    ``POST /credentials/verify`` would (a serial or a link of this site: the certificate's
    own signed credential) and answered in order with whether it verifies, its status, its
    expiry and the reason. A request with an item that is neither a credential nor a serial
    nor a certificate link is refused whole (422, each such item named); nothing is stored,
    except that a certificate of this site is signed on first use, as its page would.
    Limited per client address (``CREDENCE_VERIFICATIONS_RATE``, 429 with Retry-After)."""
    try:
        items = bulk.read_items(body.items)
    except bulk.BatchRefused as refused:
        return problem(
            request,
            422,
            errors=[
                {"loc": ["body", "items"], "msg": m, "type": "invalid"} for m in refused.problems
            ],
        )
    now = timezone.now()
    checks = bulk.check_items(items, now=now)
    return VerificationsOut(
        checked_at=now,
        counts=bulk.counts(checks),
        results=[ItemCheckOut(**vars(check)) for check in checks],
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
