"""The "Your data" page and the program office's erasure queue, through the real URLs."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.billing.models import Invoice
from credence.exams.services import attempt_book
from credence.privacy.models import ErasureRequest, ErasureStatus
from credence.privacy.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(program):
    user = User.objects.create_user("cleo@example.invalid", PASSWORD, full_name="Cleo Candidate")
    user_assign_role(user=user, role=Role.CANDIDATE, acting_user=None)
    return user


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/account/data/", "/privacy/office/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_candidate_downloads_their_export_as_a_zip(client, candidate):
    client.force_login(candidate)
    page = client.get("/account/data/")
    assert page.status_code == 200 and b"Download my data" in page.content
    assert client.get("/account/data/export/").status_code == 405  # a POST, with its CSRF token
    response = client.post("/account/data/export/")
    assert response["Content-Type"] == "application/zip"
    assert f"credence-data-{candidate.pk}-" in response["Content-Disposition"]
    document = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert document["user"]["email"] == "cleo@example.invalid"


def test_a_wrong_password_records_no_request(client, candidate):
    client.force_login(candidate)
    response = client.post("/account/data/", {"password": "not it", "confirm": "on"})
    assert response.status_code == 200 and b"The password is not correct." in response.content
    response = client.post("/account/data/", {"password": PASSWORD})  # not confirmed
    assert response.status_code == 200
    assert not ErasureRequest.objects.exists()


def test_request_shows_its_status_and_can_be_withdrawn(client, candidate):
    client.force_login(candidate)
    response = client.post("/account/data/", {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert b"Your erasure request is recorded." in response.content
    assert b"Withdraw my erasure request" in response.content
    [request] = ErasureRequest.objects.filter(user=candidate)
    assert request.status == ErasureStatus.PENDING
    # asking twice keeps one request
    client.post("/account/data/", {"password": PASSWORD, "confirm": "on"})
    assert ErasureRequest.objects.filter(user=candidate).count() == 1
    client.post("/account/data/withdraw/")
    request.refresh_from_db()
    assert request.status == ErasureStatus.WITHDRAWN


def test_only_the_program_office_sees_the_queue_and_erases(client, candidate, office):
    client.force_login(candidate)
    assert client.get("/privacy/office/").status_code == 403
    assert client.post(f"/privacy/office/{candidate.pk}/erase/").status_code == 403
    assert client.post("/privacy/office/export/", {"email": candidate.email}).status_code == 403


def test_the_office_sees_why_it_cannot_erase_yet_and_then_erases(client, candidate, office):
    client.force_login(candidate)
    client.post("/account/data/", {"password": PASSWORD, "confirm": "on"})
    attempt_book(
        candidate=candidate,
        certification="ml-expert",
        evaluation="knowledge-test",
        held_on=timezone.localdate() + timedelta(days=30),
        acting_user=candidate,
    )
    client.force_login(office)
    queue = client.get("/privacy/office/")
    assert b"E1:" in queue.content  # within the grace period
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        client.force_login(office)
        queue = client.get("/privacy/office/")
        assert b"E2:" in queue.content  # the booking's invoice is unpaid
        response = client.post(
            f"/privacy/office/{candidate.pk}/erase/", {"confirm": "yes"}, follow=True
        )
        assert b"Not carried out (E2)" in response.content
        candidate.refresh_from_db()
        assert candidate.email == "cleo@example.invalid"
        assert Invoice.objects.filter(candidate=candidate).count() == 1


def test_the_office_erases_from_the_queue(client, candidate, office):
    client.force_login(candidate)
    client.post("/account/data/", {"password": PASSWORD, "confirm": "on"})
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        client.force_login(office)
        assert f"Erase account {candidate.pk}".encode() in client.get("/privacy/office/").content
        response = client.post(f"/privacy/office/{candidate.pk}/erase/", follow=True)
        assert b"Tick the confirmation" in response.content  # nothing happens unconfirmed
        candidate.refresh_from_db()
        assert candidate.is_active
        response = client.post(
            f"/privacy/office/{candidate.pk}/erase/", {"confirm": "yes"}, follow=True
        )
        assert f"Erasure of account {candidate.pk} carried out.".encode() in response.content
    candidate.refresh_from_db()
    assert candidate.email == f"erased-{candidate.pk}@invalid" and not candidate.is_active


def test_the_office_exports_a_persons_data_by_address(client, candidate, office):
    client.force_login(office)
    response = client.post("/privacy/office/export/", {"email": "CLEO@example.invalid"})
    assert response["Content-Type"] == "application/zip"
    response = client.post(
        "/privacy/office/export/", {"email": "nobody@example.invalid"}, follow=True
    )
    assert b"No account has that e-mail address." in response.content


def test_the_page_answers_in_the_language_asked_for(client, candidate):
    client.force_login(candidate)
    response = client.get("/account/data/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
