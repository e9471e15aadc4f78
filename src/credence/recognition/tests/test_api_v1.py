"""The signal guide's advisor in the HTTP API (``POST /api/v1/signal-guide/advice``): JSON in
and out, and every wrong request answered as problem details (docs/api.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from credence.recognition.tests.conftest import ANSWERS

pytestmark = pytest.mark.django_db

ADVICE = reverse("api-v1:advice")


def post_json(client: Client, payload: Any, content_type: str = "application/json") -> Any:
    return client.post(
        ADVICE,
        data=payload if isinstance(payload, str) else json.dumps(payload),
        content_type=content_type,
    )


def problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"urn:credence:problem:{kind}"
    assert body["instance"] == ADVICE
    return body


def test_the_advisor_takes_and_gives_json(client, guide):
    response = post_json(client, ANSWERS)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    google = next(
        r
        for r in body["recommendations"]
        if r["slug"] == "google-professional-machine-learning-engineer"
    )
    assert google["verdict"] == "worth_pursuing"
    assert {"text": "You work or plan to work with GCP", "source": "worth_pursuing_if"} in google[
        "reasons"
    ]
    assert len(body["recommendations"]) == 14 and body["summary"]


def test_the_advisor_is_public_and_needs_no_csrf_token(guide):
    # it stores nothing and identifies nobody, so any client may post without a token
    response = post_json(Client(enforce_csrf_checks=True), ANSWERS)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({**ANSWERS, "cloud": "ibm"}, ["body", "answers", "cloud"]),
        ({k: v for k, v in ANSWERS.items() if k != "role"}, ["body", "answers", "role"]),
        ({**ANSWERS, "extra": 1}, ["body", "answers", "extra"]),
        ({**ANSWERS, "portfolio": "yes"}, ["body", "answers", "portfolio"]),
        ([1, 2], ["body", "answers"]),
    ],
)
def test_bad_answers_are_a_422_problem_field_by_field(client, guide, payload, where):
    body = problem(post_json(client, payload), 422, "validation")

    assert where in [e["loc"] for e in body["errors"]]


def test_what_is_not_json_is_a_400_problem_saying_why(client, guide):
    body = problem(post_json(client, "{not json"), 400, "bad-request")
    assert "not valid JSON (line 1, column 2" in body["detail"]

    # a form is not JSON either, whatever its label
    form = post_json(client, "a=b", content_type="application/x-www-form-urlencoded")
    assert "not valid JSON" in problem(form, 400, "bad-request")["detail"]


def test_an_empty_body_is_a_422_problem(client, guide):
    body = problem(client.post(ADVICE, b"", content_type="application/json"), 422, "validation")

    assert body["errors"][0]["loc"] == ["body", "answers"]


def test_get_is_a_405_problem_naming_post(client, guide):
    response = client.get(ADVICE)

    problem(response, 405, "method-not-allowed")
    assert response["Allow"] == "POST"
