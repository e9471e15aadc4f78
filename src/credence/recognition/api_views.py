"""JSON API of the recognition app: the advisor. Plain Django views with pydantic models for
the payloads; the handlers stay thin so they move to django-ninja unchanged when the API
issue adds it."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import BaseModel, ConfigDict, ValidationError

from credence.core import jsonin
from credence.recognition import selectors
from credence.recognition.policy import Advice, Answers, CareerRole, Cloud, advise


class AdvisorRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    fundamentals_done: bool
    cloud: Cloud
    role: CareerRole
    hands_on_ml: bool
    portfolio: bool

    def to_answers(self) -> Answers:
        return Answers(**self.model_dump())


class ReasonOut(BaseModel):
    text: str
    source: str


class RecommendationOut(BaseModel):
    slug: str
    name: str
    provider: str
    category: str
    verdict: str
    reasons: list[ReasonOut]


class AdvisorResponse(BaseModel):
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


def _error(
    status: int, message: str, errors: list[dict[str, object]] | None = None
) -> JsonResponse:
    return JsonResponse({"error": message, "errors": errors or []}, status=status)


# Public and side-effect free (nothing is stored, nobody is identified), so it takes JSON
# from any client without a CSRF token.
@csrf_exempt
@require_POST
def advisor(request: HttpRequest) -> JsonResponse:
    if request.content_type != "application/json":
        return _error(415, _("Send the answers as application/json."))
    try:
        payload = jsonin.parse(request.body or b"null")
    except RequestDataTooBig:
        return _error(413, _("The body is larger than this endpoint accepts."))
    except jsonin.BadJSON as bad:
        return _error(400, str(bad))
    try:
        answers = AdvisorRequest.model_validate(payload)
    except ValidationError as invalid:
        return _error(
            400,
            _("The answers are not valid."),
            [
                {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in invalid.errors(include_url=False, include_input=False)
            ],
        )
    advice = advise(selectors.guide_specs(), answers.to_answers())
    return JsonResponse(AdvisorResponse.of(advice).model_dump(mode="json"))
