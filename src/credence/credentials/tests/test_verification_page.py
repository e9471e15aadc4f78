"""The public verification page keeps what it verified and the program's rules between
requests (issue 14), and still shows every change on the very next request: a revocation, a
suspension, a changed credential, key or status list, the passing of a date, the program."""

from __future__ import annotations

import copy
import re

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.urls import reverse

from credence.catalog import api as catalog_api
from credence.credentials import selectors, services, statuslist
from credence.credentials.models import Certificate, SigningKey
from credence.credentials.multikey import public_multikey
from credence.credentials.tests.conftest import signed_with_two_entries


def page(client, certificate: Certificate) -> str:
    response = client.get(f"/certificates/{certificate.serial}/")
    assert response.status_code == 200
    return response.content.decode()


def standing(client, certificate: Certificate) -> str:
    response = client.get(f"/certificates/{certificate.serial}/verification.json")
    assert response.status_code == 200
    return response.json()["standing"]


@pytest.fixture
def kept(client, certificate):
    """Carla's certificate after two requests: the second answered from what the first kept."""
    for _ in range(2):
        assert ">Valid<" in page(client, certificate)
        assert standing(client, certificate) == "valid"
    certificate.refresh_from_db()
    return certificate


def test_a_revocation_shows_on_the_next_request(client, kept, office):
    services.certificate_revoke(certificate=kept, reason="Results annulled", acting_user=office)
    assert ">Revoked<" in page(client, kept)
    assert standing(client, kept) == "revoked"


def test_a_suspension_and_its_lifting_show_on_the_next_request(client, kept, office):
    services.certificate_suspend(certificate=kept, reason="Under review", acting_user=office)
    assert ">Suspended<" in page(client, kept)
    assert standing(client, kept) == "suspended"
    services.certificate_reinstate(certificate=kept, reason="Cleared", acting_user=office)
    assert ">Valid<" in page(client, kept)
    assert standing(client, kept) == "valid"


def test_a_credential_signed_with_two_status_entries_shows_each_standing(client, kept, office):
    """A credential signed before decision 0049 (revocation and suspension entries) is
    verified against the two lists still published, as before."""
    signed_with_two_entries(kept)
    assert standing(client, kept) == "valid"
    data = client.get(f"/certificates/{kept.serial}/verification.json").json()
    assert [(s["purpose"], s["state"]) for s in data["verification"]["statuses"]] == [
        ("revocation", "clear"),
        ("suspension", "clear"),
    ]
    services.certificate_suspend(certificate=kept, reason="Under review", acting_user=office)
    assert ">Suspended<" in page(client, kept)
    assert standing(client, kept) == "suspended"
    services.certificate_revoke(certificate=kept, reason="Results annulled", acting_user=office)
    assert ">Revoked<" in page(client, kept)
    assert standing(client, kept) == "revoked"


def test_a_changed_credential_is_verified_afresh(client, kept):
    forged = copy.deepcopy(kept.credential)
    forged["credentialSubject"]["name"] = "Mallory Forger"
    Certificate.objects.filter(pk=kept.pk).update(credential=forged)
    assert standing(client, kept) == "invalid"
    assert "The signed credential does not verify." in page(client, kept)


def test_a_changed_key_is_verified_afresh(client, kept):
    # the issuer's DID document now names another public key under the same id
    other = public_multikey(Ed25519PrivateKey.generate().public_key())
    SigningKey.objects.update(public_key_multibase=other)
    assert standing(client, kept) == "invalid"


def test_a_changed_status_list_is_verified_afresh(client, kept):
    # The signed message list this process keeps, altered in memory: the certificate's
    # entry set to revoked under the old signature. It must be checked, found not to verify,
    # and neither "revoked" nor "valid" be said.
    for cache_key, signed in list(selectors._STATUS_LISTS.items()):
        if cache_key[0] == "message":
            altered = copy.deepcopy(signed.document)
            encoded = statuslist.encode([(kept.status_index, 0x2)], status_size=2)
            altered["credentialSubject"]["encodedList"] = encoded
            selectors._STATUS_LISTS[cache_key] = selectors.SignedStatusList(
                signed.url, altered, selectors._json_digest(altered)
            )
    data = client.get(f"/certificates/{kept.serial}/verification.json").json()
    assert data["standing"] == "status_unknown"
    [status] = data["verification"]["statuses"]
    assert status["purpose"] == "message" and status["state"] == "unknown"
    assert "the status list does not verify" in status["detail"]


def test_the_end_of_the_validity_shows_on_the_next_request(client, certificate):
    # valid until 2031-03-22 inclusive, in the program's time zone (Europe/Berlin)
    with time_machine.travel("2031-03-22 23:59:00+01:00", tick=False):
        assert standing(client, certificate) == "valid"
        assert standing(client, certificate) == "valid"
    with time_machine.travel("2031-03-23 00:00:30+01:00", tick=False):
        assert standing(client, certificate) == "expired"
        assert ">Expired<" in page(client, certificate)


def test_a_change_to_the_program_shows_on_the_next_request(client, kept):
    certification = catalog_api.certification_model("ml-expert")
    assert certification is not None
    assert certification.name in page(client, kept)
    certification.name = "Machine Learning Expert (renamed)"
    certification.save()
    assert "Machine Learning Expert (renamed)" in page(client, kept)


def test_the_page_and_its_json_make_three_queries(client, kept, django_assert_max_num_queries):
    # the certificate with its holder and program, the keys, the statuses; the rules and
    # signatures are kept
    with django_assert_max_num_queries(3):
        assert ">Valid<" in page(client, kept)
    with django_assert_max_num_queries(3):
        assert standing(client, kept) == "valid"


def test_the_footer_names_the_certificates_program_office(client, kept):
    assert "mailto:" + kept.program.contact_email in page(client, kept)


# A visitor who is not signed in gets the page kept rendered, with only their CSRF token put
# in (views._visitor_page); everything else a request can change must still show.


def token_in(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match is not None
    return match[1]


def test_each_visitor_gets_a_token_their_cookie_accepts(kept):
    path = f"/certificates/{kept.serial}/"
    tokens = set()
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        token = token_in(page(visitor, kept))
        assert visitor.cookies["csrftoken"].value
        tokens.add(token)
        switched = visitor.post(
            reverse("set_language"),
            {"language": "de", "next": path, "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302
        assert switched.url == path
        assert ">Gültig<" in page(visitor, kept)
        # the same visitor again, now with the cookie: a token for the same secret
        assert (
            visitor.post(
                reverse("set_language"),
                {
                    "language": "en",
                    "next": path,
                    "csrfmiddlewaretoken": token_in(page(visitor, kept)),
                },
            ).status_code
            == 302
        )
    assert len(tokens) == 2


def test_the_kept_page_follows_the_language_and_the_path(client, kept):
    german = client.get(f"/certificates/{kept.serial}/", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="de">' in german.content.decode()
    assert ">Gültig<" in german.content.decode()
    html = client.get(f"/certificates/{kept.serial}/?from=<cv>").content.decode()
    assert f'name="next" value="/certificates/{kept.serial}/?from=%3Ccv%3E"' in html
    assert "<cv>" not in html
    assert '<html lang="en">' in page(client, kept)


def test_a_message_waiting_for_a_visitor_shows_on_the_page(client, kept, candidate):
    client.force_login(candidate)
    client.post(reverse("account_logout"))
    assert "You have signed out." in page(client, kept)
    assert "You have signed out." not in page(client, kept)


def test_a_signed_in_visitor_gets_their_own_navigation(client, kept, candidate):
    client.force_login(candidate)
    html = page(client, kept)
    assert "Log out" in html
    assert "My certificates" in html
    assert "Sign up" not in html


def test_a_changed_program_is_read_whole_once(client, kept, django_assert_max_num_queries):
    # the page reads some of the program's columns; its rules, at a new version, come from
    # the program read whole once (8 queries), not column by column
    certification = catalog_api.certification_model("ml-expert")
    assert certification is not None
    certification.save()
    with django_assert_max_num_queries(3 + 1 + 8):
        assert ">Valid<" in page(client, kept)
    with django_assert_max_num_queries(3):
        assert ">Valid<" in page(client, kept)
