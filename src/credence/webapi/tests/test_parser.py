"""Every operation reads its JSON body through ``core.jsonin`` (``webapi.parser``): what ninja's
``json.loads`` would have taken (UTF-16, NaN) or failed on is a 400 problem saying why."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from credence.webapi.tests.test_endpoints import assert_problem

CREDENTIAL = '{"@context": ["https://www.w3.org/ns/credentials/v2"], "issuer": "did:web:ë"}'


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (CREDENTIAL.encode("utf-16"), "not UTF-8"),
        (CREDENTIAL.encode("utf-32"), "not UTF-8"),
        (CREDENTIAL.encode("latin-1"), "not UTF-8"),
        (b'{"validFrom": NaN}', "NaN is not a JSON number"),
        (b'{"validFrom": Infinity}', "Infinity is not a JSON number"),
        (b'{"n": ' + b"9" * 5000 + b"}", "too many digits"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b'{"issuer": ', "not valid JSON (line 1, column 12"),
    ],
)
def test_a_body_that_is_not_json_says_why_in_a_400_problem(
    db: Any, client: Client, body: bytes, why: str
):
    response = client.post("/api/v1/credentials/verify", body, content_type="application/json")

    assert why in assert_problem(response, 400, "bad-request")["detail"]


def test_utf8_json_is_read(db: Any, client: Client):
    response = client.post(
        "/api/v1/credentials/verify", CREDENTIAL.encode(), content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["issuer"] == "did:web:ë"
