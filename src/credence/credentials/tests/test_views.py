"""The public pages and endpoints, the holder's downloads and the staff status page."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.credentials import selectors, services
from credence.credentials.tests.conftest import PUBLIC


@pytest.fixture
def signed(certificate):
    services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    return certificate


def test_the_did_document_lists_current_and_rotated_keys(client, signed):
    services.signing_key_rotate(acting_user=None)
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:certs.example.test"
    assert len(document["verificationMethod"]) == 2
    for method in document["verificationMethod"]:
        assert method["type"] == "Multikey" and method["controller"] == document["id"]
        assert method["publicKeyMultibase"].startswith("z6Mk")
        assert method["id"] in document["assertionMethod"]


def test_the_status_list_is_served_signed_and_not_cached(client, signed):
    response = client.get("/credentials/status/message")
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    listing = json.loads(response.content)
    assert listing["id"] == f"{PUBLIC}/credentials/status/message"
    assert listing["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert listing["credentialSubject"]["statusPurpose"] == "message"
    assert signed.credential["credentialStatus"]["statusListCredential"] == listing["id"]
    assert client.get("/credentials/status/other").status_code == 404


@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_the_lists_of_credentials_signed_before_0049_are_still_served(client, signed, purpose):
    """Credentials signed with two status entries point at these two lists (decision 0049)."""
    response = client.get(f"/credentials/status/{purpose}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    listing = json.loads(response.content)
    assert listing["id"] == f"{PUBLIC}/credentials/status/{purpose}"
    assert listing["credentialSubject"]["statusPurpose"] == purpose


def test_the_verification_page_tells_a_hiring_manager_what_it_proves(client, certificate):
    response = client.get(f"/certificates/{certificate.serial}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Carla Certified" in page
    assert ">Valid<" in page and "not revoked" in page and "not suspended" in page
    assert "What it proves" in page and "What it does not prove" in page
    assert "Research capability" in page
    assert "score band" not in page  # the holder has not approved the bands (decision 0054)
    assert "Portfolio repository (at the evaluated commit)" in page
    assert "not recorded for this certificate" in page


def test_the_page_says_status_could_not_be_checked_rather_than_valid(client, signed, settings):
    for path in settings.CREDENCE_KEYS_DIR.iterdir():
        path.unlink()
    page = client.get(f"/certificates/{signed.serial}/").content.decode()
    assert "Status could not be checked" in page
    assert ">Valid<" not in page and "not revoked" not in page
    data = client.get(f"/certificates/{signed.serial}/verification.json").json()
    assert data["standing"] == "status_unknown"
    assert data["verification"]["status_checked"] is False


def test_a_genuine_certificate_whose_issuer_document_is_elsewhere_is_not_called_invalid(
    client, signed, settings
):
    # signed as certs.example.test; the site now answers as another domain (the demo's port
    # changed, say), so the signing key's DID document is not at hand
    settings.CREDENCE_ISSUER_DOMAIN = "moved.example.test"
    page = client.get(f"/certificates/{signed.serial}/").content.decode()
    assert "Signature could not be checked" in page
    assert "did:web:certs.example.test cannot be resolved offline" in page
    assert "does not verify" not in page and ">Valid<" not in page
    data = client.get(f"/certificates/{signed.serial}/verification.json").json()
    assert data["standing"] == "signature_unchecked"
    assert data["verification"]["signature_valid"] is False
    assert data["verification"]["problems"] == []
    assert "did:web:certs.example.test" in data["verification"]["unchecked"]


def test_revocation_by_staff_shows_on_the_page_at_once(client, signed, office):
    client.force_login(office)
    response = client.post(
        f"/certificates/{signed.serial}/status/",
        {"action": "revoke", "reason": "Results annulled after an appeal"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/certificates/{signed.serial}/").content.decode()
    assert ">Revoked<" in page and "Results annulled after an appeal" in page
    data = client.get(f"/certificates/{signed.serial}/verification.json").json()
    assert data["standing"] == "revoked"
    assert AuditEvent.objects.filter(action="certificate.revoked", actor=office).exists()


def test_staff_status_page_refuses_without_reason_and_others_are_forbidden(
    client, signed, office, candidate
):
    client.force_login(office)
    response = client.post(f"/certificates/{signed.serial}/status/", {"action": "suspend"})
    assert response.status_code == 400
    assert "A reason is required" in response.content.decode()
    signed.refresh_from_db()
    assert signed.suspended_on is None
    client.force_login(candidate)
    assert client.get(f"/certificates/{signed.serial}/status/").status_code == 403


def test_the_json_endpoint_says_the_same_as_the_page(client, certificate):
    data = client.get(f"/certificates/{certificate.serial}/verification.json").json()
    assert data["standing"] == "valid"
    assert data["holder"] == "Carla Certified"
    assert data["issued_on"] == "2026-03-22" and data["valid_until"] == "2031-03-22"
    assert "Research capability" in data["award"]["does_not_prove"]
    assert data["verification"]["signature_valid"] is True
    assert data["portfolio_repository"] is None
    assert client.get("/certificates/CRD-NOSUCHONE/verification.json").status_code == 404


def test_the_holder_downloads_the_pdf_with_a_qr_link_and_the_signed_json(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/credential.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    credential = json.loads(response.content)
    assert credential["proof"][0]["type"] == "DataIntegrityProof"
    response = client.get(f"/certificates/{certificate.serial}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Carla Certified" in text and certificate.serial in text
    assert "WHAT IT DOES NOT PROVE" in text  # the evidence panel's heading, in capitals
    url = selectors.verification_url(certificate.serial)
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert url in links
    assert reader.pages[0].images  # the QR code


def test_downloads_are_for_the_holder_and_staff_only(client, certificate, db):
    from credence.accounts.models import User

    stranger = User.objects.create_user("s@example.invalid", "x" * 12, full_name="S")
    client.force_login(stranger)
    assert client.get(f"/certificates/{certificate.serial}/certificate.pdf").status_code == 403
    assert client.get(f"/certificates/{certificate.serial}/credential.json").status_code == 403


def test_my_certificates_offers_linkedin_with_the_certificate_fields(client, certificate):
    client.force_login(certificate.holder)
    page = client.get("/certificates/").content.decode()
    assert "Add to LinkedIn profile" in page
    url = selectors.linkedin_url(certificate, "ML Expert")
    assert "startTask=CERTIFICATION_NAME" in url and f"certId={certificate.serial}" in url
    assert "issueYear=2026" in url and "expirationYear=2031" in url
    assert "linkedin.com/profile/add?" in page


def test_staff_find_certificates_in_the_admin_and_reach_the_status_page(client, certificate):
    from credence.accounts.models import User

    admin_user = User.objects.create_superuser("root@example.invalid", "x" * 12, full_name="R")
    client.force_login(admin_user)
    page = client.get(
        "/admin/credentials/certificate/", {"q": certificate.holder.email}
    ).content.decode()
    assert certificate.serial in page
    assert f"/certificates/{certificate.serial}/status/" in page
    detail = client.get(f"/admin/credentials/certificate/{certificate.pk}/change/")
    assert detail.status_code == 200 and b"Save" not in detail.content


def test_djangos_is_staff_flag_alone_does_not_manage_certificates(client, signed):
    """Fixed in issue 9: the status page let anyone with the admin flag through; the program
    office is the staff role (docs/permissions.md)."""
    flagged = User.objects.create_user(
        "flag@example.invalid", "x" * 12, full_name="Flag", is_staff=True
    )
    client.force_login(flagged)

    assert client.get(f"/certificates/{signed.serial}/status/").status_code == 403
    assert (
        client.post(
            f"/certificates/{signed.serial}/status/", {"action": "revoke", "reason": "x"}
        ).status_code
        == 403
    )
    signed.refresh_from_db()
    assert signed.revoked_on is None
    assert client.get(f"/certificates/{signed.serial}/certificate.pdf").status_code == 403
