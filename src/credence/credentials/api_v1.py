"""HTTP API for certificates: anyone verifies a signed credential (the same checks as the
offline verifier and the verification page) or up to 1,000 at once (credentials, serials or
certificate links); a holder lists their own certificates."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool

from credence.catalog import api as catalog_api
from credence.core.decisions import Refused
from credence.core.public import public_url
from credence.credentials import bulk, chain, selectors, services
from credence.credentials.keystore import KeyUnavailable
from credence.credentials.models import Certificate
from credence.credentials.policy import PublicSet, evidence_choice_allowed
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors, problem, refusal

router = Router(tags=["credentials"])


class StatusOut(Schema):
    purpose: str
    state: str
    detail: str
    # a message entry's message for the value read ("in force", "suspended", "revoked")
    message: str


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
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
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


# --- the evidence chain and the holder's choice (decision 0054) ---------------------------


class ChoiceOut(Schema):
    # strict: a holder's consent to publish is true or false, never a 0 or a "no" read as one
    name: StrictBool = Field(description="The holder's name is public.")
    bands: StrictBool = Field(description="The score bands are public.")
    repository: StrictBool = Field(
        description="The repository and the evaluated commit are public."
    )
    report: StrictBool = Field(
        description="The evidence report itself is public (rule E2: only with the repository)."
    )


class ChoiceIn(ChoiceOut):
    serial: str | None = Field(
        None,
        description="The certificate the choice is for; none: every certificate without its "
        "own choice, including those not issued yet.",
    )


class EvidenceItemOut(Schema):
    name: str
    evaluation: str | None = Field(
        description="The evaluation's code; null for a waiver or a component certificate."
    )
    description: str
    passed_on: date | None
    score_band: str | None = Field(description="Null unless the holder made the bands public.")
    pass_mark: str | None
    repository: str | None = Field(description="Null unless the holder made it public.")
    commit: str | None
    report_digest: str | None = Field(
        description=(
            "SHA-256 (hex) of the evidence report's canonical JSON (sorted keys, no spaces, "
            "UTF-8), as stored now."
        )
    )
    signed_report_digest: str | None = Field(
        description="The digest the signed credential carries."
    )
    examiners_agreement: str | None
    form_reliability: str | None
    report_url: str | None = Field(
        description="The report's canonical bytes, when the holder made it public."
    )


class EvidenceOut(Schema):
    serial: str
    award: str
    holder: str | None = Field(description="Null unless the holder made their name public.")
    issued_on: date
    valid_until: date
    standing: str
    choice: ChoiceOut
    evidence: list[EvidenceItemOut]
    page_url: str


def _or_none(value: str) -> str | None:
    return value or None


@router.get(
    "/certificates/{serial}/evidence",
    response={200: EvidenceOut, **errors(404, 422)},
    auth=None,
)
def certificate_evidence(request: HttpRequest, serial: str) -> EvidenceOut:
    """The public evidence page as JSON: exactly what the holder approves now (rule E1),
    with the report digest the credential signed beside the one of the report as stored."""
    try:
        certificate = selectors.certificate_for_verification(serial)
    except Certificate.DoesNotExist:
        raise Http404 from None
    if certificate.credential is None:
        # signed on first use, as the page does; without a key the evidence still answers
        with suppress(KeyUnavailable):
            services.credential_issue(certificate=certificate)
            certificate.refresh_from_db()
    page = chain.evidence_page(certificate, catalog_api.rules_for(certificate.program))
    items = []
    for row in page.rows:
        e = row.item
        report = (
            public_url(reverse("credentials:evidence-report", args=[page.serial, e.evaluation]))
            if page.choice.report and e.submission and e.report_digest
            else None
        )
        items.append(
            EvidenceItemOut(
                name=e.name,
                evaluation=_or_none(e.evaluation),
                description=e.description,
                passed_on=e.day if e.evaluation and not e.waived else None,
                score_band=_or_none(e.score_band),
                pass_mark=_or_none(e.pass_mark),
                repository=_or_none(e.repository),
                commit=_or_none(e.commit),
                report_digest=_or_none(e.report_digest),
                signed_report_digest=row.signed_digest,
                examiners_agreement=_or_none(e.agreement),
                form_reliability=_or_none(e.reliability),
                report_url=report,
            )
        )
    return EvidenceOut(
        serial=page.serial,
        award=page.award,
        holder=page.holder,
        issued_on=page.issued_on,
        valid_until=page.valid_until,
        standing=str(page.standing),
        choice=ChoiceOut(**vars(page.choice)),
        evidence=items,
        page_url=selectors.evidence_page_url(page.serial),
    )


@router.post(
    "/evidence-choice",
    response={200: ChoiceOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
)
def evidence_choice(request: HttpRequest, payload: ChoiceIn) -> Any:
    """The caller chooses what is public about their certificates: for one (``serial``) or
    for every certificate without its own choice. A credential signed afterwards carries only
    what is approved; the evidence page shows the choice at once. A report without the
    repository is refused (409, rule E2); someone else's certificate is 403."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    choice = PublicSet(
        name=payload.name, bands=payload.bands, repository=payload.repository, report=payload.report
    )
    decision = evidence_choice_allowed(choice)
    if isinstance(decision, Refused):
        return refusal(request, decision)
    certificate = None
    if payload.serial:
        try:
            certificate = selectors.certificate_get(payload.serial)
        except Certificate.DoesNotExist:
            raise Http404 from None
        if certificate.holder_id != request.user.pk:
            return problem(
                request, 403, detail=_("Only the certificate's holder chooses what it shows.")
            )
    services.evidence_choice_set(
        holder=request.user, choice=choice, certificate=certificate, acting_user=request.user
    )
    return ChoiceOut(**vars(choice))
