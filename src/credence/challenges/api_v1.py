"""HTTP API of item challenges: a candidate's own challenges, and filing one (rule C1).
Deciding stays on the item's decision page, where authors and the office see its effect
first (decision 0053)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from credence.challenges import selectors, services
from credence.challenges.models import Challenge
from credence.webapi.auth import signed_in
from credence.webapi.pagination import Page
from credence.webapi.problems import errors

router = Router(tags=["challenges"])


class ChallengeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sitting: int = Field(gt=0, lt=2**63, description="The submitted test (its sitting id).")
    position: int = Field(ge=0, lt=10_000, description="The item's position in the test, from 0.")
    reasons: str = Field(description="Why the item is challenged (at most 5,000 characters).")


class ChallengeOut(Schema):
    id: int
    sitting: int
    position: int
    certification: str
    filed_at: datetime
    outcome: str = Field(description="pending, keep, rekey, accept or drop")
    decided_at: datetime | None


def _out(challenge: Challenge) -> ChallengeOut:
    return ChallengeOut(
        id=challenge.pk,
        sitting=challenge.sitting_id,
        position=challenge.position,
        certification=challenge.sitting.booking.attempt.certification.code,
        filed_at=challenge.filed_at,
        outcome=challenge.outcome,
        decided_at=challenge.decided_at,
    )


@router.get("/challenges", response={200: list[ChallengeOut], **errors(401, 422)}, auth=signed_in)
@paginate(Page)
def challenges(request: HttpRequest) -> list[ChallengeOut]:
    """The caller's own item challenges, the latest first."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    return [_out(challenge) for challenge in selectors.challenges_of(request.user)]


@router.post(
    "/challenges/new",
    response={201: ChallengeOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
)
def challenge_new(request: HttpRequest, payload: ChallengeIn) -> Status:
    """Challenge an item of one of the caller's submitted tests (C1: once per item, within
    the program's ``challenge_window_days`` of submitting it); a refusal answers 409 with the
    rule. Someone else's test, or none, is 404."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    try:
        challenge = services.challenge_file(
            sitting_id=payload.sitting,
            position=payload.position,
            reasons=payload.reasons,
            candidate=request.user,
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return Status(201, _out(selectors.challenge_of(challenge.pk)))
