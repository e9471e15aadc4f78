"""Each operation of /api/v1/: the happy path, who may call it, and errors as problem
details (docs/api.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from credence.billing.models import Invoice
from credence.exams.models import Booking
from credence.exams.statuses import AttemptStatus
from credence.items.models import Item
from credence.webapi.tests.conftest import HOST, World, bearer

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == f"urn:credence:problem:{kind}"
    assert body["instance"] == response.wsgi_request.path
    return body


def post_json(client: Client, path: str, data: Any, **headers: str) -> Any:
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


# public


def test_program_lists_certifications_evaluations_and_rule_numbers(world: World, client: Client):
    body = client.get("/api/v1/program").json()
    assert [c["code"] for c in body["certifications"]][:3] == [
        "ml-expert",
        "mlops",
        "responsible-ai",
    ]
    assert [e["code"] for e in body["evaluations"]] == ["knowledge-test", "portfolio"]
    assert body["certifications"][0]["pass_marks"]["knowledge-test"] == "70.00"
    assert body["rules"]["fee_per_evaluation"] == "200.00"
    assert body["rules"]["max_attempts"] == 3
    assert body["composite"]["min_electives"] == 3


def test_program_before_loading_is_a_404_problem(db: Any, client: Client):
    assert_problem(client.get("/api/v1/program"), 404, "not-found")


def test_published_sessions_are_public_and_drafts_are_not(world: World, client: Client):
    body = client.get("/api/v1/sessions").json()
    assert body["count"] == 1
    (session,) = body["items"]
    assert session["id"] == world.published.pk
    assert session["seats_left"] == 18
    assert session["certifications"] == ["ml-expert", "mlops"]
    assert client.get(f"/api/v1/sessions/{world.published.pk}").status_code == 200
    assert_problem(client.get(f"/api/v1/sessions/{world.draft.pk}"), 404, "not-found")


def test_pagination_bounds_limit_and_offset(world: World, client: Client):
    assert client.get("/api/v1/sessions?limit=1&offset=1").json() == {"items": [], "count": 1}
    body = assert_problem(
        client.get("/api/v1/sessions?offset=99999999999999999999"), 422, "validation"
    )
    assert body["errors"][0]["loc"] == ["query", "offset"]
    assert_problem(client.get("/api/v1/sessions?limit=0"), 422, "validation")


def test_advisor_answers_with_reasons(world: World, client: Client):
    answers = {
        "fundamentals_done": True,
        "cloud": "aws",
        "role": "ml-engineer",
        "hands_on_ml": True,
        "portfolio": False,
    }
    response = post_json(client, "/api/v1/signal-guide/advice", answers)
    assert response.status_code == 200, response.content
    assert response.json()["recommendations"]


def test_advisor_rejects_unknown_answers_field_by_field(world: World, client: Client):
    response = post_json(client, "/api/v1/signal-guide/advice", {"cloud": "mars"})
    body = assert_problem(response, 422, "validation")
    located = {tuple(e["loc"]) for e in body["errors"]}
    assert ("body", "answers", "cloud") in located
    assert ("body", "answers", "fundamentals_done") in located


def test_a_body_that_is_not_json_is_a_bad_request_problem(world: World, client: Client):
    response = client.post(
        "/api/v1/signal-guide/advice", b"{not json", content_type="application/json"
    )
    assert_problem(response, 400, "bad-request")


def test_verifying_a_forged_credential_says_invalid(world: World, client: Client):
    forged = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": "did:web:example.invalid",
        "validFrom": "2026-01-01T00:00:00Z",
    }
    body = post_json(client, "/api/v1/credentials/verify", forged).json()
    assert body["standing"] == "invalid"
    assert body["signature_valid"] is False
    assert body["problems"]


def test_verifying_something_that_is_not_an_object_is_422(world: World, client: Client):
    assert_problem(post_json(client, "/api/v1/credentials/verify", [1, 2]), 422, "validation")


# authentication


SIGNED_IN_PATHS = [
    "/api/v1/me",
    "/api/v1/path",
    "/api/v1/bookings",
    "/api/v1/attempts",
    "/api/v1/invoices",
    "/api/v1/certificates",
    "/api/v1/claims",
    "/api/v1/staff/sessions",
]


@pytest.mark.parametrize("path", SIGNED_IN_PATHS)
def test_anonymous_callers_get_401_with_a_bearer_challenge(world: World, client: Client, path: str):
    response = client.get(path)
    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_is_401(world: World, client: Client):
    from credence.webapi.models import ApiToken
    from credence.webapi.services import token_revoke

    assert_problem(client.get("/api/v1/me", **bearer("cred_nonsense")), 401, "unauthenticated")
    token = ApiToken.objects.get(user=world.alice)
    token_revoke(token=token, acting_user=world.alice)
    response = client.get("/api/v1/me", **bearer(world.tokens["alice"]))
    assert_problem(response, 401, "unauthenticated")


def test_me_with_a_token(world: World, client: Client):
    body = client.get("/api/v1/me", **bearer(world.tokens["alice"])).json()
    assert body == {
        "id": world.alice.pk,
        "email": "alice@example.invalid",
        "full_name": "alice",
        "roles": ["candidate"],
    }


def test_me_with_the_browser_session(world: World, client: Client):
    client.force_login(world.bob)
    assert client.get("/api/v1/me").json()["email"] == "bob@example.invalid"


def test_unsafe_calls_with_a_session_need_the_csrf_token(world: World):
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    client.force_login(world.bob)
    path = f"/api/v1/bookings/{world.bob_booking.pk}/cancel"
    assert_problem(client.post(path), 403, "csrf")
    assert Booking.objects.get(pk=world.bob_booking.pk).attempt.status == AttemptStatus.BOOKED
    # what a page of the site gives the browser: the CSRF cookie, echoed in the header
    secret = "k" * 32
    client.cookies["csrftoken"] = secret
    assert_problem(client.post(path, HTTP_X_CSRFTOKEN="w" * 32), 403, "csrf")
    response = client.post(path, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == AttemptStatus.CANCELLED


def test_token_calls_need_no_csrf_token(world: World):
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    path = f"/api/v1/bookings/{world.bob_booking.pk}/cancel"
    response = client.post(path, **bearer(world.tokens["bob"]))
    assert response.status_code == 200


# a candidate's own data


def test_path_gives_each_step_with_the_rules_decision(world: World, client: Client):
    body = client.get("/api/v1/path", **bearer(world.tokens["alice"])).json()
    steps = {
        (c["certification"], s["evaluation"]): s for c in body["certifications"] for s in c["steps"]
    }
    assert steps[("ml-expert", "knowledge-test")]["state"] == "booked"
    assert steps[("mlops", "knowledge-test")]["state"] == "passed"
    # R1: the portfolio of a certification whose test is not passed is refused, with the rule
    portfolio = steps[("ml-expert", "portfolio")]["decision"]
    assert portfolio["allowed"] is False
    assert portfolio["rule"] == "R1"
    assert portfolio["reason"]
    assert body["composite"]["holds"] is False


def test_attempts_are_the_callers_own_with_released_scores(world: World, client: Client):
    body = client.get("/api/v1/attempts", **bearer(world.alice and world.tokens["alice"])).json()
    assert body["count"] == 2
    by_certification = {a["certification"]: a for a in body["items"]}
    assert by_certification["mlops"]["score"] == "84.50"
    assert by_certification["mlops"]["status"] == "passed"
    assert by_certification["ml-expert"]["score"] is None
    bob = client.get("/api/v1/attempts", **bearer(world.tokens["bob"])).json()
    assert bob["count"] == 1


def test_bookings_list_only_the_callers_own(world: World, client: Client):
    body = client.get("/api/v1/bookings", **bearer(world.tokens["alice"])).json()
    assert [b["id"] for b in body["items"]] == [world.alice_booking.pk]


def test_another_candidates_booking_is_404_and_the_office_sees_it(world: World, client: Client):
    path = f"/api/v1/bookings/{world.bob_booking.pk}"
    assert_problem(client.get(path, **bearer(world.tokens["alice"])), 404, "not-found")
    assert client.get(path, **bearer(world.tokens["bob"])).json()["certification"] == "ml-expert"
    assert client.get(path, **bearer(world.tokens["office"])).status_code == 200


def test_another_candidates_booking_cannot_be_cancelled(world: World, client: Client):
    path = f"/api/v1/bookings/{world.bob_booking.pk}/cancel"
    assert_problem(client.post(path, **bearer(world.tokens["alice"])), 404, "not-found")
    assert Booking.objects.get(pk=world.bob_booking.pk).attempt.status == AttemptStatus.BOOKED


def test_booking_a_seat_books_and_invoices(world: World, client: Client):
    path = f"/api/v1/sessions/{world.published.pk}/bookings"
    response = post_json(client, path, {"certification": "mlops"}, **bearer(world.tokens["bob"]))
    assert response.status_code == 201, response.content
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.attempt.candidate == world.bob
    assert Invoice.objects.filter(candidate=world.bob).count() == 2


def test_a_refused_booking_is_409_with_the_rule(world: World, client: Client):
    path = f"/api/v1/sessions/{world.published.pk}/bookings"
    # Alice already holds a booking of ml-expert's test: one booking at a time (decision 0005)
    response = post_json(
        client, path, {"certification": "ml-expert"}, **bearer(world.tokens["alice"])
    )
    body = assert_problem(response, 409, "refused")
    assert body["rule"].startswith("R")
    assert body["detail"]
    assert Booking.objects.filter(attempt__candidate=world.alice).count() == 1


def test_booking_a_certification_the_session_does_not_hold_is_refused(world: World, client: Client):
    path = f"/api/v1/sessions/{world.published.pk}/bookings"
    response = post_json(client, path, {"certification": "nlp"}, **bearer(world.tokens["bob"]))
    assert assert_problem(response, 409, "refused")["rule"] == "R11"


def test_booking_a_draft_session_is_404(world: World, client: Client):
    path = f"/api/v1/sessions/{world.draft.pk}/bookings"
    response = post_json(client, path, {"certification": "mlops"}, **bearer(world.tokens["bob"]))
    assert_problem(response, 404, "not-found")


def test_booking_without_a_certification_is_422(world: World, client: Client):
    path = f"/api/v1/sessions/{world.published.pk}/bookings"
    body = assert_problem(
        post_json(client, path, {}, **bearer(world.tokens["bob"])), 422, "validation"
    )
    assert body["errors"][0]["loc"] == ["body", "payload", "certification"]


def test_invoices_are_the_callers_own_and_others_are_404(world: World, client: Client):
    body = client.get("/api/v1/invoices", **bearer(world.tokens["alice"])).json()
    numbers = {i["number"] for i in body["items"]}
    assert numbers == set(
        Invoice.objects.filter(candidate=world.alice).values_list("number", flat=True)
    )
    mine = body["items"][0]
    assert mine["fees"] == "200.00"
    assert (
        client.get(
            f"/api/v1/invoices/{mine['number']}", **bearer(world.tokens["alice"])
        ).status_code
        == 200
    )
    bobs = Invoice.objects.filter(candidate=world.bob).first()
    response = client.get(f"/api/v1/invoices/{bobs.number}", **bearer(world.tokens["alice"]))
    assert_problem(response, 404, "not-found")


def test_certificates_and_claims_start_empty(world: World, client: Client):
    assert client.get("/api/v1/certificates", **bearer(world.tokens["alice"])).json() == {
        "items": [],
        "count": 0,
    }
    assert client.get("/api/v1/claims", **bearer(world.tokens["alice"])).json()["count"] == 0


# the program office


def test_only_the_office_lists_all_sessions(world: World, client: Client):
    assert_problem(
        client.get("/api/v1/staff/sessions", **bearer(world.tokens["alice"])), 403, "forbidden"
    )
    body = client.get("/api/v1/staff/sessions", **bearer(world.tokens["office"])).json()
    assert {s["id"] for s in body["items"]} == {world.published.pk, world.draft.pk}


def test_the_office_publishes_a_draft(world: World, client: Client):
    path = f"/api/v1/staff/sessions/{world.draft.pk}/publish"
    assert_problem(client.post(path, **bearer(world.tokens["bob"])), 403, "forbidden")
    body = client.post(path, **bearer(world.tokens["office"])).json()
    assert body["published"] is True
    assert client.get("/api/v1/sessions").json()["count"] == 2


def test_a_draft_whose_bank_cannot_fill_its_forms_is_refused_with_r11(world: World, client: Client):
    # the MLOps bank lost its monitoring items after the draft was created
    Item.objects.filter(certification__code="mlops", versions__topics__code="monitoring").delete()
    path = f"/api/v1/staff/sessions/{world.draft.pk}/publish"

    body = assert_problem(client.post(path, **bearer(world.tokens["office"])), 409, "refused")

    assert body["rule"] == "R11"
    assert body["detail"].endswith(
        "cannot fill a test form: Monitoring, drift and retraining: 15 items needed, 0 in the bank."
    )
    world.draft.refresh_from_db()
    assert world.draft.published_at is None
    assert client.get("/api/v1/sessions").json()["count"] == 1


# errors outside the operations


def test_unknown_paths_and_wrong_methods_are_problems(world: World, client: Client):
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "not-found")
    response = client.delete("/api/v1/sessions")
    assert_problem(response, 405, "method-not-allowed")
    assert response["Allow"] == "GET"


def test_an_oversized_body_is_a_413_problem(world: World, client: Client, settings: Any):
    settings.CREDENCE_MAX_REQUEST_BYTES = 1000
    response = client.post(
        "/api/v1/credentials/verify", b"{" + b" " * 2000 + b"}", content_type="application/json"
    )
    assert_problem(response, 413, "too-large")


def test_a_server_error_is_a_500_problem(world: World, client: Client, monkeypatch: Any):
    # The one place a stand-in is needed: nothing in the real code fails on purpose.
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("credence.catalog.api.program_rules", broken)
    body = assert_problem(client.get("/api/v1/program"), 500, "server-error")
    assert "boom" not in json.dumps(body)


def test_the_openapi_document_declares_errors_as_problem_details(db: Any, client: Client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/bookings/{booking_id}"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "404"}
    assert set(operation["responses"]["404"]["content"]) == {"application/problem+json"}
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])


def test_advisor_takes_yes_no_answers_only_as_booleans(world: World, client: Client):
    # found by schemathesis: 0 was taken for "no"
    answers = {
        "fundamentals_done": True,
        "cloud": "aws",
        "role": "mlops",
        "hands_on_ml": False,
        "portfolio": 0,
    }
    body = assert_problem(
        post_json(client, "/api/v1/signal-guide/advice", answers), 422, "validation"
    )
    assert body["errors"][0]["loc"] == ["body", "answers", "portfolio"]


def test_a_body_over_the_form_limit_is_a_413_problem(world: World, client: Client, settings: Any):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post_json(client, "/api/v1/credentials/verify", {"x": "a" * 5_000})
    assert_problem(response, 413, "too-large")


def test_the_retired_advisor_endpoint_is_a_404_problem(world: World, client: Client):
    # replaced by /api/v1/signal-guide/advice; nothing under /api/v1/ is outside the API now
    response = post_json(client, "/api/v1/recognition/advisor", {})
    assert_problem(response, 404, "not-found")
    assert "/api/v1/recognition/advisor" not in client.get("/api/v1/openapi.json").json()["paths"]
