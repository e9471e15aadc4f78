"""Requesting and deciding an accommodation through the services, the pages and the API:
the rules refuse with their number and store nothing (no row, no file); every change is
audited; the decision is mailed in the platform's language; documents stay private and
leave with the account."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from credence.accommodations import api, personal_data
from credence.accommodations.models import (
    Accommodation,
    AccommodationDocument,
    AccommodationStatus,
)
from credence.accommodations.services import (
    AccommodationRefused,
    accommodation_decide,
    accommodation_request,
)
from credence.accommodations.tests.conftest import PDF, PNG, pdf, person
from credence.accounts.models import Role
from credence.audit.models import AuditEvent
from credence.privacy.services import data_purge

NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)
DAY = NOON.date()


def request(candidate, *uploads, kind="extra_time", factor=Decimal("1.5")):
    return accommodation_request(
        candidate=candidate,
        kind=kind,
        time_factor=factor,
        details="Dyslexia: reading takes me longer.",
        uploads=list(uploads) or [pdf()],
        now=NOON,
    )


def approve(accommodation, office, start=DAY, end=DAY + timedelta(days=365)):
    return accommodation_decide(
        accommodation=accommodation,
        approve=True,
        valid_from=start,
        valid_until=end,
        note="Approved for one year.",
        acting_user=office,
        now=NOON,
    )


def files(documents_dir):
    return sorted(p.name for p in documents_dir.iterdir()) if documents_dir.exists() else []


def test_requested_approved_applied_and_told(candidate, office, documents_dir):
    accommodation = request(candidate)
    (document,) = accommodation.documents.all()
    assert files(documents_dir) == [document.stored_name]
    assert not str(documents_dir).startswith(str(settings.MEDIA_ROOT))
    assert (documents_dir / document.stored_name).read_bytes() == PDF
    assert api.time_factor_for(candidate.pk, DAY) == 1  # requested, not approved (AC3)
    DBTaskResult.objects.all().delete()

    approve(accommodation, office)

    assert api.time_factor_for(candidate.pk, DAY) == Decimal("1.5")
    assert api.time_factor_for(candidate.pk, DAY + timedelta(days=366)) == 1
    events = AuditEvent.objects.filter(action__startswith="accommodation.").order_by("id")
    assert [(e.action, e.reason) for e in events] == [
        ("accommodation.requested", "AC1"),
        ("accommodation.approved", "AC2"),
    ]
    assert events[1].after["valid_until"] == "2027-03-02" and events[1].actor == office
    (queued,) = DBTaskResult.objects.all()
    queued.task.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == [candidate.email]
    assert message.subject == "[Credence] Your accommodation: Approved"
    assert "approved from March 2, 2026 to March 2, 2027" in message.body
    assert f"/accommodations/{accommodation.pk}/" in message.body


@override_settings(LANGUAGE_CODE="de")
def test_the_decision_mail_in_german(candidate, office):
    accommodation = request(candidate, kind="separate_room", factor=None)
    DBTaskResult.objects.all().delete()
    accommodation_decide(
        accommodation=accommodation,
        approve=False,
        valid_from=None,
        valid_until=None,
        note="Kein Nachweis.",
        acting_user=office,
        now=NOON,
    )
    (queued,) = DBTaskResult.objects.all()
    queued.task.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.subject == "[Credence] Ihr Nachteilsausgleich: Abgelehnt"
    assert message.body.startswith("Guten Tag Carla Candidate,")
    assert "(Ein eigener Raum) wurde abgelehnt." in message.body
    assert "Kein Nachweis." in message.body


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("notes.html", b"<script>x</script>", "text/html"), "is not a PDF"),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "is empty"),
        (SimpleUploadedFile("scan.pdf", PNG, "application/pdf"), "but its name says otherwise"),
        (pdf("huge.pdf", PDF + b"0" * 2048), "is larger than"),
    ],
)
@override_settings(CREDENCE_ACCOMMODATION_DOCUMENT_MAX_BYTES=1024)
def test_ac1_a_bad_document_is_refused_and_nothing_is_stored(
    candidate, documents_dir, upload, words
):
    with pytest.raises(AccommodationRefused, match=f"AC1: .*{words}") as refused:
        request(candidate, pdf("fine.pdf"), upload)
    assert refused.value.decision.rule == "AC1"
    assert not Accommodation.objects.exists() and not AccommodationDocument.objects.exists()
    assert files(documents_dir) == []
    assert not AuditEvent.objects.filter(action__startswith="accommodation.").exists()


def test_ac1_no_document_no_request(candidate, documents_dir):
    with pytest.raises(AccommodationRefused, match="AC1: A request carries one to 5"):
        accommodation_request(
            candidate=candidate, kind="other", time_factor=None, details="A reader.", uploads=[]
        )
    assert not Accommodation.objects.exists() and files(documents_dir) == []


def test_ac2_decided_once_and_an_approval_needs_its_period(candidate, office):
    accommodation = request(candidate)
    with pytest.raises(AccommodationRefused, match="AC2: An approval needs its validity period"):
        accommodation_decide(
            accommodation=accommodation,
            approve=True,
            valid_from=None,
            valid_until=None,
            note="",
            acting_user=office,
        )
    accommodation.refresh_from_db()
    assert accommodation.status == AccommodationStatus.PENDING  # nothing stored
    assert api.time_factor_for(candidate.pk, DAY) == 1
    approve(accommodation, office)
    with pytest.raises(AccommodationRefused, match="AC2: This request has been decided already"):
        approve(accommodation, office, end=DAY + timedelta(days=700))
    accommodation.refresh_from_db()
    assert accommodation.valid_until == DAY + timedelta(days=365)
    with pytest.raises(PermissionError):
        approve(request(candidate), candidate)


def test_the_export_has_the_documents_and_erasure_deletes_them(candidate, office, documents_dir):
    accommodation = request(candidate, pdf("medical.pdf"))
    exported = personal_data.export_user_data(candidate)
    [row] = exported["accommodations.accommodation"]
    assert row["details"] == "Dyslexia: reading takes me longer."
    [(path, data)] = personal_data.export_user_files(candidate)
    assert path.startswith(f"accommodations/{accommodation.pk}/") and path.endswith("medical.pdf")
    assert data == PDF
    personal_data.erase_user_data(candidate, now=NOON)
    assert not Accommodation.objects.exists() and not AccommodationDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_erasure_removes_the_files(documents_dir):
    candidate = person("erin_erased", Role.CANDIDATE)
    request(candidate)
    assert len(files(documents_dir)) == 1
    personal_data.erase_user_data(candidate, now=NOON)
    assert files(documents_dir) == []


@pytest.mark.django_db(transaction=True)
def test_retention_purges_documents_of_ended_approvals_and_old_refusals(documents_dir):
    office = person("olivia_office", Role.STAFF)
    candidate = person("carla_candidate", Role.CANDIDATE)
    ended = approve(request(candidate), office, end=DAY + timedelta(days=10))
    running = approve(request(candidate), office, end=DAY + timedelta(days=1000))
    later = NOON + timedelta(days=10 + 366)
    assert data_purge(now=later, dry_run=True)["accommodation_documents"] == 1
    assert data_purge(now=later)["accommodation_documents"] == 1
    assert not ended.documents.exists() and running.documents.exists()
    assert len(files(documents_dir)) == 1
    ended.refresh_from_db()
    assert ended.status == AccommodationStatus.APPROVED  # the decision stays


# --- pages ------------------------------------------------------------------------------------


def test_the_candidate_requests_on_the_page_and_the_office_decides(client, candidate, office):
    client.force_login(candidate)
    page = client.get("/accommodations/new/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    posted = client.post(
        "/accommodations/new/",
        {
            "kind": "extra_time",
            "time_factor": "1.5",
            "details": "Dyslexia.",
            "documents": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    accommodation = Accommodation.objects.get()
    assert (
        posted.status_code == 302 and posted["Location"] == f"/accommodations/{accommodation.pk}/"
    )
    assert accommodation.documents.count() == 2
    mine = client.get("/accommodations/")
    assert b"Extra time" in mine.content and b"waiting for a decision" in mine.content
    # the office decides on the accommodation's page; the candidate cannot
    refused = client.post(
        f"/accommodations/{accommodation.pk}/",
        {"approve": "yes", "valid_from": "2026-03-01", "valid_until": "2026-12-31"},
    )
    assert refused.status_code == 403
    client.force_login(office)
    desk = client.get("/accommodations/office/")
    assert b"Carla Candidate" in desk.content
    with time_machine.travel(NOON, tick=False):
        missing = client.post(
            f"/accommodations/{accommodation.pk}/", {"approve": "yes", "valid_from": "2026-03-01"}
        )
        assert b"AC2: An approval needs its validity period" in missing.content
        client.post(
            f"/accommodations/{accommodation.pk}/",
            {"approve": "yes", "valid_from": "2026-03-01", "valid_until": "2026-12-31"},
        )
    accommodation.refresh_from_db()
    assert (accommodation.status, accommodation.valid_until) == ("approved", date(2026, 12, 31))


def test_a_bad_upload_on_the_page_says_why(client, candidate, documents_dir):
    client.force_login(candidate)
    answer = client.post(
        "/accommodations/new/",
        {
            "kind": "other",
            "details": "A reader.",
            "documents": [SimpleUploadedFile("x.svg", b"<svg/>", "image/svg+xml")],
        },
    )
    assert answer.status_code == 200
    assert "AC1: “x.svg” is not a PDF, PNG or JPEG file." in answer.content.decode()
    assert not Accommodation.objects.exists() and files(documents_dir) == []


def test_documents_are_read_by_the_candidate_and_the_office_only(client, candidate, office):
    accommodation = request(candidate)
    document = accommodation.documents.get()
    url = f"/accommodations/documents/{document.pk}/"
    client.force_login(candidate)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        download["Content-Type"] == "application/pdf"
        and "sandbox" in download["Content-Security-Policy"]
    )
    client.force_login(office)
    assert client.get(url).status_code == 200
    for other in (person("oscar_other", Role.CANDIDATE), person("pat_proctor", Role.PROCTOR)):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.get(f"/accommodations/{accommodation.pk}/").status_code == 404


# --- API --------------------------------------------------------------------------------------


def test_the_api_requests_and_lists_the_callers_own(client, candidate, documents_dir):
    client.force_login(candidate)
    made = client.post(
        "/api/v1/accommodations/new",
        {"kind": "extra_time", "time_factor": "1.5", "details": "Dyslexia.", "documents": [pdf()]},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["time_factor"], body["documents"][0]["kind"]) == (
        "pending",
        "1.50",
        "pdf",
    )
    bad = client.post(
        "/api/v1/accommodations/new",
        {
            "kind": "extra_time",
            "time_factor": "1.5",
            "details": "Dyslexia.",
            "documents": [SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/pdf")],
        },
    )
    assert bad.status_code == 409 and bad.json()["rule"] == "AC1"
    # an accommodation without the office's approval: refused, naming the rule
    self_approved = client.post(
        "/api/v1/accommodations/new",
        {
            "kind": "other",
            "details": "x",
            "status": "approved",
            "valid_until": "2030-01-01",
            "documents": [pdf()],
        },
    )
    assert self_approved.status_code == 409 and self_approved.json()["rule"] == "AC2"
    assert "status, valid_until" in self_approved.json()["detail"]
    assert Accommodation.objects.count() == 1 and len(files(documents_dir)) == 1
    listed = client.get("/api/v1/accommodations").json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]
    client.force_login(person("oscar_other", Role.CANDIDATE))
    assert client.get("/api/v1/accommodations").json()["items"] == []
    schema = client.get("/api/v1/openapi.json").json()
    assert (
        "multipart/form-data"
        in schema["paths"]["/api/v1/accommodations/new"]["post"]["requestBody"]["content"]
    )
