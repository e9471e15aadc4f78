"""POST /api/v1/credentials/verify with a credential Credence really signed: valid; the same
credential with one changed claim: invalid; after revocation: revoked. And the holder's list."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from credence.credentials.models import Certificate
from credence.credentials.services import (
    certificate_revoke,
    credential_issue,
    signing_key_create,
)
from credence.exams.services import attempt_book, attempt_record_result
from credence.webapi.tests.conftest import World, bearer

VERIFY = "/api/v1/credentials/verify"


@pytest.fixture
def signed(world: World, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_KEY_PASSPHRASE = ""
    signing_key_create(acting_user=world.office)
    held_on = timezone.localdate() - timedelta(days=60)
    for evaluation, days, score in (("knowledge-test", 0, "84"), ("portfolio", 21, "95")):
        attempt = attempt_book(
            candidate=world.bob,
            certification="responsible-ai",
            evaluation=evaluation,
            held_on=held_on + timedelta(days=days),
            acting_user=world.bob,
        )
        attempt_record_result(
            attempt=attempt,
            score=Decimal(score),
            released_on=held_on + timedelta(days=days),
            acting_user=world.office,
        )
    certificate = Certificate.objects.get(holder=world.bob, award="responsible-ai")
    return credential_issue(certificate=certificate)


def verify(client: Client, credential: Any) -> dict[str, Any]:
    response = client.post(VERIFY, json.dumps(credential), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_credential_we_signed_verifies(client: Client, signed: dict[str, Any]):
    body = verify(client, signed)
    assert body["standing"] == "valid", body
    assert body["signature_valid"] is True
    assert body["status_checked"] is True


def test_a_changed_claim_breaks_the_signature(client: Client, signed: dict[str, Any]):
    forged = copy.deepcopy(signed)
    forged["validUntil"] = "2099-01-01T00:00:00Z"
    body = verify(client, forged)
    assert body["standing"] == "invalid"
    assert body["signature_valid"] is False


def test_a_revoked_credential_says_revoked(world: World, client: Client, signed: dict[str, Any]):
    certificate = Certificate.objects.get(holder=world.bob, award="responsible-ai")
    certificate_revoke(certificate=certificate, reason="test", acting_user=world.office)
    assert verify(client, signed)["standing"] == "revoked"


def test_the_holder_lists_their_certificates(world: World, client: Client, signed: dict[str, Any]):
    body = client.get("/api/v1/certificates", **bearer(world.tokens["bob"])).json()
    (certificate,) = body["items"]
    assert certificate["award"] == "responsible-ai"
    assert certificate["standing"] == "valid"
    assert date.fromisoformat(certificate["valid_until"]) > timezone.localdate()
    assert client.get("/api/v1/certificates", **bearer(world.tokens["alice"])).json()["count"] == 0
