"""A certificate's links come from CREDENCE_PUBLIC_URL, whichever host the page was asked of
(decision 0033): "Add to LinkedIn" with every field LinkedIn's form takes, the verification
JSON's addresses, and the signed credential's id."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

PUBLIC = "http://127.0.0.1:8111"  # a local demo's address: plain HTTP, with its port
ML_EXPERT = "Training, Evaluating, and Deploying Machine Learning Models (ML Expert)"


@pytest.fixture(autouse=True)
def local_demo(issuer):
    issuer.CREDENCE_PUBLIC_URL = PUBLIC
    issuer.CREDENCE_ISSUER_DOMAIN = "127.0.0.1:8111"


def test_add_to_linkedin_carries_name_organization_dates_id_and_the_public_url(client, certificate):
    client.force_login(certificate.holder)
    page = client.get("/certificates/", HTTP_HOST="localhost").content.decode()

    (href,) = re.findall(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    link = urlsplit(unescape(href))
    assert (link.scheme, link.netloc, link.path) == ("https", "www.linkedin.com", "/profile/add")
    assert {key: values for key, values in parse_qs(link.query).items()} == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [ML_EXPERT],
        "organizationName": [certificate.program.provider],
        "issueYear": ["2026"],
        "issueMonth": ["3"],
        "expirationYear": ["2031"],
        "expirationMonth": ["3"],
        "certId": [certificate.serial],
        "certUrl": [f"{PUBLIC}/certificates/{certificate.serial}/"],
    }
    # and that address opens the certificate's public page
    assert client.get(f"/certificates/{certificate.serial}/").status_code == 200


def test_the_verification_json_and_the_credential_name_the_public_url(client, certificate):
    answer = client.get(
        f"/certificates/{certificate.serial}/verification.json", HTTP_HOST="localhost"
    ).json()
    assert answer["page_url"] == f"{PUBLIC}/certificates/{certificate.serial}/"
    assert answer["credential_url"] == f"{PUBLIC}/certificates/{certificate.serial}/credential.json"

    client.force_login(certificate.holder)
    credential = json.loads(
        client.get(f"/certificates/{certificate.serial}/credential.json").content
    )
    assert credential["id"] == f"{PUBLIC}/certificates/{certificate.serial}/"
    assert credential["issuer"]["id"] == "did:web:127.0.0.1%3A8111"
