"""HTTP API (/api/v1/catalog/): the program, its certifications and evaluations, and the
numbers its rules use. Public: the same facts the program pages show."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from credence.catalog import api as catalog_api
from credence.catalog.policy import ProgramRules
from credence.webapi.problems import errors

router = Router(tags=["catalog"])


class EvaluationOut(Schema):
    code: str
    name: str
    order: int


class CertificationOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    topics: list[str]
    pass_marks: dict[str, str]  # evaluation code -> percent, as a decimal string (R4)
    proves: list[str]
    does_not_prove: list[str]


class CompositeOut(Schema):
    code: str
    name: str
    required: list[str]
    electives: list[str]
    min_electives: int


class RulesOut(Schema):
    """The numbers behind the rules R1-R12 (docs/rules.md)."""

    fee_per_evaluation: str
    currency: str
    wait_after_failure_months: int
    max_attempts: int
    default_pass_mark: str
    refund_threshold: str
    validity_years: int
    recertification_window_months: int
    reminder_days: list[int]


class ProgramOut(Schema):
    code: str
    name: str
    provider: str
    contact_email: str
    time_zone: str
    evaluations: list[EvaluationOut]
    certifications: list[CertificationOut]
    composite: CompositeOut
    rules: RulesOut


def loaded_rules() -> ProgramRules:
    """The program's rules; 404 before a program is loaded."""
    try:
        return catalog_api.program_rules()
    except catalog_api.ProgramNotLoaded:
        raise Http404 from None


@router.get("/program", response={200: ProgramOut, **errors(404)}, auth=None)
def program(request: HttpRequest) -> ProgramOut:
    """The program: certifications in order, evaluations, the composite award and its rules."""
    rules = loaded_rules()
    composite = rules.composite
    return ProgramOut(
        code=rules.code,
        name=rules.name,
        provider=rules.provider,
        contact_email=rules.contact_email,
        time_zone=rules.time_zone,
        evaluations=[
            EvaluationOut(code=e.code, name=e.name, order=e.order)
            for e in rules.evaluations_in_order()
        ],
        certifications=[
            CertificationOut(
                code=c.code,
                name=c.name,
                kind=str(c.kind),
                description=c.description,
                topics=list(c.topics),
                pass_marks={
                    e.code: str(rules.pass_mark(c.code, e.code)) for e in rules.evaluations
                },
                proves=list(c.proves),
                does_not_prove=list(c.does_not_prove),
            )
            for c in rules.certifications
        ],
        composite=CompositeOut(
            code=composite.code,
            name=composite.name,
            required=list(composite.required),
            electives=list(composite.electives),
            min_electives=composite.min_electives,
        ),
        rules=RulesOut(
            fee_per_evaluation=str(rules.fee_per_evaluation),
            currency=rules.currency,
            wait_after_failure_months=rules.wait_after_failure_months,
            max_attempts=rules.max_attempts,
            default_pass_mark=str(rules.default_pass_mark),
            refund_threshold=str(rules.refund_threshold),
            validity_years=rules.validity_years,
            recertification_window_months=rules.recertification_window_months,
            reminder_days=list(rules.reminder_days),
        ),
    )
