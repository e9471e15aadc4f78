"""Every error of the API as problem details (RFC 9457): ``application/problem+json`` with
``type``, ``title``, ``status``, ``detail`` and ``instance``, plus ``rule``/``earliest`` for a
refusal by one of the program's rules and ``errors`` for invalid input (docs/api.md).

The exception handlers cover what happens inside an operation; ``ApiProblemMiddleware`` turns
whatever else answers an error under the API's prefix (an unknown path, a wrong method, a body
over the size limit, an unhandled exception) into the same shape.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from credence.core import jsonin
from credence.core.decisions import Refused

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"
API_NAMESPACE = "api-v1"
TYPE_BASE = "urn:credence:problem:"

# slug and title of the problem type for each status the API answers with
_KINDS: dict[int, tuple[str, Promise]] = {
    400: ("bad-request", gettext_lazy("Bad request")),
    401: ("unauthenticated", gettext_lazy("Authentication required")),
    403: ("forbidden", gettext_lazy("Forbidden")),
    404: ("not-found", gettext_lazy("Not found")),
    405: ("method-not-allowed", gettext_lazy("Method not allowed")),
    409: ("conflict", gettext_lazy("Conflict")),
    413: ("too-large", gettext_lazy("Request too large")),
    422: ("validation", gettext_lazy("Invalid request")),
    429: ("too-many-requests", gettext_lazy("Too many requests")),
    500: ("server-error", gettext_lazy("Server error")),
}
_DETAILS: dict[int, Promise] = {
    400: gettext_lazy("The request could not be understood."),
    401: gettext_lazy("Sign in, or send a personal API token as Authorization: Bearer <token>."),
    403: gettext_lazy("You may not do this."),
    404: gettext_lazy("There is nothing here, or it is not yours to see."),
    405: gettext_lazy("This address does not accept this method."),
    413: gettext_lazy("The request body is larger than this site accepts."),
    422: gettext_lazy("The request is not valid."),
    429: gettext_lazy("Too many requests from your address; wait and try again."),
    500: gettext_lazy("Something went wrong on our side; it has been logged."),
}
REFUSED = "refused"


class FieldProblem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Problem(Schema):
    """A problem details object (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    rule: str | None = None
    earliest: date | None = None
    errors: list[FieldProblem] | None = None


def problem(
    request: HttpRequest,
    status: int,
    *,
    detail: str | None = None,
    kind: str | None = None,
    title: str | None = None,
    **extensions: Any,
) -> HttpResponse:
    slug, default_title = _KINDS.get(status, ("http-error", gettext_lazy("Error")))
    body = Problem(
        type=TYPE_BASE + (kind or slug),
        title=str(title or default_title),
        status=status,
        detail=str(detail or _DETAILS.get(status, default_title)),
        instance=request.path,
        **extensions,
    ).model_dump(mode="json", exclude_none=True)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    response.credence_problem = True  # type: ignore[attr-defined]
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="credence"'
    return response


def refusal(request: HttpRequest, decision: Refused, status: int = 409) -> HttpResponse:
    """A refusal by one of the program's rules: which rule, why, and from when it lifts."""
    return problem(
        request,
        status,
        kind=REFUSED,
        title=_("Refused by rule %(rule)s") % {"rule": decision.rule},
        detail=decision.reason,
        rule=decision.rule,
        earliest=decision.earliest,
    )


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """The error answers of an operation, for its ``response=`` (and so for the OpenAPI
    document that schemathesis checks the answers against)."""
    return dict.fromkeys(statuses, Problem)


def _field_problems(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in raw
    ]


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(request, 422, errors=_field_problems(exc.errors))


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        found = [
            {"loc": ["body", field], "msg": message, "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        found = [{"loc": ["body"], "msg": message, "type": "invalid"} for message in exc.messages]
    return problem(request, 422, errors=found)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return problem(request, 401)
    if exc.status_code == 403 and "CSRF" in exc.message:
        return problem(
            request,
            403,
            kind="csrf",
            detail=_("Calls with a browser session need the CSRF token in the X-CSRFToken header."),
        )
    if isinstance(exc.__cause__, jsonin.BadJSON):
        # the body parser's refusal (credence.webapi.parser): its sentence says what is wrong
        return problem(request, 400, detail=str(exc.__cause__))
    # ninja's own messages ("Cannot parse request body") are English only; the status's
    # translated detail says the same.
    return problem(request, exc.status_code)


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = problem(request, 429)
    if exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait)))
    return response


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s", request.path, exc_info=exc)
    return problem(request, 500)


_HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (Exception, _on_exception),
    (ValidationError, _on_validation),
    (DjangoValidationError, _on_django_validation),
    (HttpError, _on_http_error),
    (Throttled, _on_throttled),
    # Django's form-size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) met while ninja reads the body
    (RequestDataTooBig, lambda request, exc: problem(request, 413)),
    (SuspiciousOperation, lambda request, exc: problem(request, 400)),
    (Http404, lambda request, exc: problem(request, 404)),
    (PermissionDenied, lambda request, exc: problem(request, 403)),
]


def install(api: NinjaAPI) -> None:
    for exception, handler in _HANDLERS:
        api.add_exception_handler(exception, handler)


def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
    """For exceptions that carry the refusing decision (``exc.decision``)."""
    return refusal(request, exc.decision)


def on_conflict(request: HttpRequest, exc: object) -> HttpResponse:
    """For a state transition that is no longer possible."""
    return problem(request, 409, detail=_("This cannot be done any more."))


Handler = Callable[[HttpRequest], HttpResponse]


def _detail_of(response: HttpResponse) -> str | None:
    """The ``detail`` of a JSON error answer written elsewhere (the body size limit's)."""
    if "json" not in response.get("Content-Type", "") or response.streaming:
        return None
    try:
        detail = json.loads(response.content).get("detail")
    except (ValueError, AttributeError):
        return None
    return detail if isinstance(detail, str) else None


class ApiProblemMiddleware:
    """Error answers of the API that did not come from its own handlers (Django's 404 for an
    unknown path under /api/v1/, 405 for a method an operation does not take, 413 from the
    body size limit, 500) are replaced by problem details, keeping their status and ``Allow``.

    Views of other apps under /api/ keep their own answers: only the API's namespace and
    paths that resolved to nothing are touched."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or getattr(response, "credence_problem", False)
        ):
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace != API_NAMESPACE:
            return response
        replacement = problem(request, response.status_code, detail=_detail_of(response))
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement
