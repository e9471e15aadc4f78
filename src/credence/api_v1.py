"""The one NinjaAPI of Credence, mounted at /api/v1/ (docs/api.md, decision 0025).

Routers live next to the apps they expose (``credence/<app>/api_v1.py``) and call their
selectors and services; this module, like ``credence.urls`` above every app (decision 0056),
only assembles them, installs the problem-details
handlers and serves the OpenAPI document at /api/v1/openapi.json. There is no docs UI: ninja's
loads script from a CDN, which the Content Security Policy forbids; any OpenAPI viewer can read
the document instead.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from credence.accommodations.api_v1 import router as accommodations_router
from credence.accommodations.services import AccommodationRefused
from credence.appeals.api_v1 import router as appeals_router
from credence.appeals.services import AppealRefused
from credence.billing.api_v1 import router as billing_router
from credence.catalog.api_v1 import router as catalog_router
from credence.challenges.api_v1 import router as challenges_router
from credence.challenges.services import ChallengeRefused
from credence.credentials.api_v1 import router as credentials_router
from credence.exams.api_v1 import router as exams_router
from credence.exams.services import BookingRefused, InvalidTransition
from credence.learning.api_v1 import router as learning_router
from credence.recognition.api_v1 import router as recognition_router
from credence.webapi.api_v1 import router as me_router
from credence.webapi.auth import signed_in
from credence.webapi.parser import StrictJSONParser
from credence.webapi.problems import (
    API_NAMESPACE,
    PROBLEM_CONTENT_TYPE,
    install,
    on_conflict,
    on_refused,
)


class CredenceAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Error answers are declared as ``application/problem+json`` (what they are), not
        ninja's default ``application/json``."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            PROBLEM_CONTENT_TYPE: content.pop("application/json")
                        }
        return schema


api = CredenceAPI(
    title="Credence API",
    version="1",
    description=(
        "The JSON API of Credence. Errors are problem details (RFC 9457); see docs/api.md."
    ),
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace=API_NAMESPACE,
    auth=signed_in,
    parser=StrictJSONParser(),
)
install(api)
api.add_exception_handler(BookingRefused, on_refused)
api.add_exception_handler(AppealRefused, on_refused)
api.add_exception_handler(AccommodationRefused, on_refused)
api.add_exception_handler(ChallengeRefused, on_refused)
api.add_exception_handler(InvalidTransition, on_conflict)
for router in (
    catalog_router,
    exams_router,
    learning_router,
    me_router,
    billing_router,
    credentials_router,
    recognition_router,
    appeals_router,
    accommodations_router,
    challenges_router,
):
    api.add_router("/", router)

# ninja names its URL namespace "api-v1" (``urls_namespace``); included by ``credence.urls``,
# the namespace is this module's app_name.
urlpatterns, _ninja_app_name, app_name = api.urls
