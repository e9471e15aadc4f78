"""HTTP API of the signal guide: the advisor (public, stores nothing) and a candidate's own
partial-credit claims (R10)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, StrictBool

from credence.recognition import selectors
from credence.recognition.policy import Advice, Answers, CareerRole, Cloud, advise
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["signal guide"])


class AdviceIn(Schema):
    """The advisor's questions. Strict: ``0`` or ``"yes"`` is not an answer to a yes/no
    question (schemathesis found the lenient form page's model accepting them)."""

    model_config = ConfigDict(extra="forbid")

    fundamentals_done: StrictBool
    cloud: Cloud
    role: CareerRole
    hands_on_ml: StrictBool
    portfolio: StrictBool


class ReasonOut(Schema):
    text: str
    source: str


class RecommendationOut(Schema):
    slug: str
    name: str
    provider: str
    category: str
    verdict: str
    reasons: list[ReasonOut]


class AdvisorResponse(Schema):
    summary: list[ReasonOut]
    recommendations: list[RecommendationOut]

    @classmethod
    def of(cls, advice: Advice) -> AdvisorResponse:
        return cls(
            summary=[ReasonOut(text=r.text, source=r.source.value) for r in advice.summary],
            recommendations=[
                RecommendationOut(
                    slug=r.entry.slug,
                    name=r.entry.name,
                    provider=r.entry.provider,
                    category=r.entry.category,
                    verdict=r.verdict.value,
                    reasons=[ReasonOut(text=x.text, source=x.source.value) for x in r.reasons],
                )
                for r in advice.recommendations
            ],
        )


class ClaimOut(Schema):
    id: int
    certification: str  # the external certification claimed
    provider: str
    issued_on: date
    expires_on: date | None
    status: str
    filed_at: datetime
    decided_at: datetime | None
    staff_message: str
    # the evaluation the approved claim waives, as "certification/evaluation"
    waives: str | None


@router.post("/signal-guide/advice", response={200: AdvisorResponse, **errors(400, 422)}, auth=None)
def advice(request: HttpRequest, answers: AdviceIn) -> AdvisorResponse:
    """The signal guide's honest recommendation for the answers given, with reasons."""
    return AdvisorResponse.of(advise(selectors.guide_specs(), Answers(**answers.model_dump())))


@router.get("/claims", response={200: list[ClaimOut], **errors(401, 403, 422)}, auth=signed_in)
@paginate(Page)
def claims(request: HttpRequest) -> list[ClaimOut]:
    """The caller's own partial-credit claims and what the program office decided."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [
        ClaimOut(
            id=c.pk,
            certification=c.external.name if c.external else c.other_name,
            provider=c.external.provider if c.external else c.other_provider,
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            status=c.status,
            filed_at=c.filed_at,
            decided_at=c.decided_at,
            staff_message=c.staff_message,
            waives=(
                f"{c.waiver.certification.code}/{c.waiver.evaluation.code}" if c.waiver else None
            ),
        )
        for c in selectors.claims_of(request.user).order_by("-filed_at", "-id")
    ]
