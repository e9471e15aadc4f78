"""HTTP API for "My path": per certification where the caller stands, and for each
evaluation the rules' decision on booking it today (rule, reason, earliest date)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from credence.core.decisions import Decision
from credence.learning.selectors import path_for_candidate
from credence.webapi.auth import signed_in
from credence.webapi.problems import errors

router = Router(tags=["path"])


class DecisionOut(Schema):
    allowed: bool
    rule: str | None
    reason: str
    earliest: date | None
    never: bool


class StepOut(Schema):
    evaluation: str
    state: str
    decision: DecisionOut
    attempts_used: int
    attempts_left: int


class CertificationPathOut(Schema):
    certification: str
    name: str
    kind: str
    state: str
    valid_until: date | None
    next_evaluation: str | None
    steps: list[StepOut]


class CompositeStatusOut(Schema):
    code: str
    holds: bool
    required_missing: list[str]
    electives_held: list[str]
    electives_missing_count: int


class PathOut(Schema):
    today: date
    certifications: list[CertificationPathOut]
    composite: CompositeStatusOut


def _decision(decision: Decision) -> DecisionOut:
    return DecisionOut(
        allowed=decision.allowed,
        rule=decision.rule,
        reason=decision.reason,
        earliest=None if decision.allowed else decision.earliest,
        never=False if decision.allowed else decision.never,
    )


@router.get("/path", response={200: PathOut, **errors(401, 403, 404)}, auth=signed_in)
def path(request: HttpRequest) -> PathOut:
    """The caller's path today; 404 before a program is loaded."""
    assert request.user.is_authenticated  # signed_in lets no anonymous caller through
    found = path_for_candidate(request.user, timezone.localdate())
    if found is None:
        raise Http404
    composite = found.path.composite
    return PathOut(
        today=found.path.today,
        certifications=[
            CertificationPathOut(
                certification=cp.certification.code,
                name=cp.certification.name,
                kind=str(cp.certification.kind),
                state=str(cp.state),
                valid_until=cp.certificate.valid_until if cp.certificate else None,
                next_evaluation=cp.next_step.evaluation.code if cp.next_step else None,
                steps=[
                    StepOut(
                        evaluation=s.evaluation.code,
                        state=str(s.state),
                        decision=_decision(s.decision),
                        attempts_used=s.attempts_used,
                        attempts_left=s.attempts_left,
                    )
                    for s in cp.steps
                ],
            )
            for cp in found.path.certifications
        ],
        composite=CompositeStatusOut(
            code=found.rules.composite.code,
            holds=composite.holds,
            required_missing=list(composite.required_missing),
            electives_held=list(composite.electives_held),
            electives_missing_count=composite.electives_missing_count,
        ),
    )
