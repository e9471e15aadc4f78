"""HTTP API of appeals: a candidate's own appeals, and filing one (rule A1). Deciding stays on
the appeal's page, where the reviewer reads the reasons (decision 0051)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from credence.appeals import selectors, services
from credence.appeals.models import Appeal
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["appeals"])


class AppealIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attempt: int = Field(
        gt=0, lt=2**63, description="The released result's attempt id (GET /attempts)."
    )
    reasons: str = Field(description="Why the result is appealed (at most 5,000 characters).")


class AppealOut(Schema):
    id: int
    attempt: int
    certification: str
    evaluation: str
    filed_at: datetime
    outcome: str = Field(description="pending, upheld or dismissed")
    reviewer_assigned: bool
    decision: str = Field(description="The reviewer's reasons, once decided.")
    decided_at: datetime | None


def _out(appeal: Appeal) -> AppealOut:
    return AppealOut(
        id=appeal.pk,
        attempt=appeal.attempt_id,
        certification=appeal.attempt.certification.code,
        evaluation=appeal.attempt.evaluation.code,
        filed_at=appeal.filed_at,
        outcome=appeal.outcome,
        reviewer_assigned=appeal.reviewer_id is not None,
        decision=appeal.decision,
        decided_at=appeal.decided_at,
    )


@router.get("/appeals", response={200: list[AppealOut], **errors(401, 422)}, auth=signed_in)
@paginate(Page)
def appeals(request: HttpRequest) -> list[AppealOut]:
    """The caller's own appeals, the latest first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [_out(appeal) for appeal in selectors.appeals_of(request.user)]


@router.post(
    "/appeals/new",
    response={201: AppealOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
)
def appeal_new(request: HttpRequest, payload: AppealIn) -> Status:
    """Appeal one of the caller's released results (A1: once, within the program's
    ``appeal_window_days`` of its release); a refusal answers 409 with the rule. Someone
    else's result, or none, is 404."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    try:
        appeal = services.appeal_file(
            attempt_id=payload.attempt, reasons=payload.reasons, candidate=request.user
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return Status(201, _out(selectors.appeal_of(appeal.pk)))
