"""An employer checks many credentials at once (issue 18, item 4): the API
``POST /api/v1/verifications`` and the page ``/verify/`` give the same answer per item, in
order; a request with an unreadable item or over the limit is refused whole, nothing looked
up or signed; the checks are limited per client address."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credence.accounts.models import User
from credence.credentials import services
from credence.credentials.models import Certificate
from credence.credentials.tests.conftest import PUBLIC, certify, signed_with_two_entries
from credence.credentials.tests.test_commands import did_key_badge

API = "/api/v1/verifications"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the limit counts per address in the cache
    yield
    cache.clear()


def post(client: Client, items: object) -> tuple[int, dict]:
    response = client.post(API, {"items": items}, content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture
def second(program, office):
    holder = User.objects.create_user("dana@example.invalid", "x" * 12, full_name="Dana Data")
    certify(holder, office, "nlp", date(2026, 3, 1))
    return Certificate.objects.get(holder=holder, award="nlp")


def test_each_kind_of_item_is_answered_in_order(client, certificate, second, office):
    signed = services.credential_issue(certificate=certificate)
    services.certificate_revoke(certificate=second, reason="Results annulled", acting_user=office)
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["name"] = "Mallory"
    status, body = post(
        client,
        [
            signed,
            second.serial.lower(),  # as typed
            f"{PUBLIC}/certificates/{certificate.serial}/",  # the QR code's link
            forged,
            "CRD-0000000000",
            did_key_badge(),
            "https://elsewhere.example/certificates/CRD-1111111111/",
        ],
    )
    assert status == 200
    rows = body["results"]
    assert [r["index"] for r in rows] == list(range(7))
    assert [(r["kind"], r["verification"], r["status"]) for r in rows] == [
        ("credential", "valid", "active"),
        ("serial", "valid", "revoked"),
        ("link", "valid", "active"),
        ("credential", "invalid", None),
        ("serial", "invalid", None),
        ("credential", "valid", "active"),
        ("link", "could_not_check", None),
    ]
    assert body["counts"] == {"valid": 4, "invalid": 2, "could_not_check": 1}
    first, revoked, link, bad, unknown, foreign, elsewhere = rows
    assert first["serial"] == certificate.serial and first["issuer_is_this_platform"]
    assert first["holder"] == "Carla Certified" and first["achievement"]
    assert first["valid_until"].startswith("2031-03-22")
    assert revoked["serial"] == second.serial and "revoked" in revoked["reason"]
    assert link["serial"] == certificate.serial
    assert bad["holder"] is None and bad["reason"]  # a forged name is not repeated
    assert unknown["reason"] == "No certificate has this serial number."
    assert foreign["issuer"].startswith("did:key:") and not foreign["issuer_is_this_platform"]
    assert "another site" in elsewhere["reason"]


def test_credentials_with_one_message_entry_or_two_entries_say_their_standing(
    client, certificate, second, office
):
    """Bulk verification reads the message entry of a credential signed now and the two
    entries of one signed before decision 0049 alike."""
    new = services.credential_issue(certificate=certificate)
    old = signed_with_two_entries(second)
    services.certificate_suspend(certificate=certificate, reason="Review", acting_user=office)
    services.certificate_revoke(certificate=second, reason="Results annulled", acting_user=office)
    status, body = post(client, [new, old])
    assert status == 200
    assert [(r["verification"], r["status"]) for r in body["results"]] == [
        ("valid", "suspended"),
        ("valid", "revoked"),
    ]
    services.certificate_reinstate(certificate=certificate, reason="Cleared", acting_user=office)
    status, body = post(client, [new])
    assert [(r["verification"], r["status"]) for r in body["results"]] == [("valid", "active")]


def test_a_certificate_not_signed_yet_is_signed_on_first_use(client, certificate):
    assert certificate.credential is None
    status, body = post(client, [certificate.serial])
    assert status == 200 and body["results"][0]["status"] == "active"
    certificate.refresh_from_db()
    assert certificate.credential is not None


OWN = "own"  # stands for the certificate's serial: an item that alone would be checked


@pytest.mark.parametrize(
    ("items", "says"),
    [
        ([], "Send a list of 1 to 1000 items."),
        ([OWN] * 1001, "1001 items: at most 1000 can be checked at once."),
        ([OWN, "", "  "], "Item 1 is neither a credential"),
        ([OWN, "hello"], "Item 1 is not a serial number (CRD- and ten letters or digits)"),
        ([OWN, "ftp://x/certificates/CRD-0000000000/"], "Item 1 is not a serial number"),
        ([OWN, "x" * 2001], "Item 1 is neither"),
    ],
)
def test_a_request_that_cannot_be_read_is_refused_whole(client, certificate, items, says):
    status, body = post(client, [certificate.serial if i == OWN else i for i in items])
    assert status == 422
    assert says in json.dumps(body)
    certificate.refresh_from_db()
    assert certificate.credential is None  # nothing signed: nothing was looked up


def test_an_item_of_another_type_is_refused_by_the_schema(client):
    status, body = post(client, ["CRD-0000000000", 42])
    assert status == 422 and body["errors"]


def test_the_checks_are_limited_per_address(client, certificate, settings):
    settings.CREDENCE_VERIFICATIONS_RATE = "2/m"
    # the API and the page count together
    assert post(client, [certificate.serial])[0] == 200
    assert client.post("/verify/", {"items": certificate.serial}).status_code == 200
    response = client.post(API, {"items": [certificate.serial]}, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["type"] == "urn:credence:problem:too-many-requests"
    assert int(response["Retry-After"]) >= 1
    page = client.post("/verify/", {"items": certificate.serial})
    assert page.status_code == 429 and "Too many checks" in page.content.decode()


def test_the_page_checks_pasted_lines_and_uploaded_files(client, certificate, second):
    signed = services.credential_issue(certificate=certificate)
    upload = SimpleUploadedFile(
        "badge.json", json.dumps(did_key_badge()).encode(), content_type="application/json"
    )
    response = client.post(
        "/verify/",
        {
            "items": f"{second.serial}\n\n{PUBLIC}/certificates/{certificate.serial}/",
            "files": [upload],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 valid, 0 not valid, 0 could not be checked." in html
    assert html.count('<tr class="verification-valid">') == 3
    assert "this platform" in html and "not this platform" in html
    assert signed["credentialSubject"]["name"] in html


def test_the_page_keeps_what_was_pasted_when_it_refuses(client, certificate):
    pasted = f"{certificate.serial}\nhello"
    response = client.post("/verify/", {"items": pasted})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was checked" in html and "Item 1 is not a serial" in html
    assert f">{pasted}</textarea>" in html
    broken = SimpleUploadedFile("broken.json", b"{not json", content_type="application/json")
    response = client.post("/verify/", {"items": "", "files": [broken]})
    assert (
        response.status_code == 422
        and "broken.json is not a JSON file" in response.content.decode()
    )


def test_the_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/verifications"]["post"]
    assert {"200", "422", "429"} <= set(operation["responses"])
    assert "1,000" in operation["description"]
