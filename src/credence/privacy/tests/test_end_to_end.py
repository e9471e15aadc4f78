"""Export and erasure end to end (issue 9, item 3): a candidate with attempts and answers, a
signed certificate, paid invoices, a claim with an evidence file and a portfolio submission
downloads their data, asks to be erased, and the program office carries it out. Afterwards
they cannot log in, their name and address are in no table (the one documented exception is
the signed credential, which must stay byte for byte), their certificate still verifies, the
ledger still balances and the audit trail is untouched."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from credence.accounts.models import User
from credence.audit.models import AuditEvent
from credence.billing.checks import ledger_problems
from credence.credentials import selectors as credential_selectors
from credence.credentials.statuses import Standing
from credence.exams.models import Response
from credence.privacy.models import ErasureRequest, ErasureStatus
from credence.privacy.services import erasure_request, user_erase, user_export
from credence.privacy.tests.conftest import PASSWORD
from credence.recognition import evidence as evidence_files
from credence.recognition.models import ClaimEvidence

pytestmark = pytest.mark.django_db

# The signed credential carries the holder's name as issued; a signature covers every byte, so
# it is kept unchanged (docs/data-protection.md). It is checked separately below.
SIGNED_CREDENTIAL = ("credentials_certificate", "credential")


def occurrences(*needles: str) -> list[str]:
    """Every (table, column) in the database whose value contains one of ``needles``,
    case-insensitively; JSON values are searched as their text."""
    found = []
    wanted = [n.casefold() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for values in cursor.fetchall():
                for column, value in zip(columns, values, strict=True):
                    if value is None or isinstance(value, int | float | bytes | memoryview):
                        continue
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    if any(n in text.casefold() for n in wanted):
                        found.append(f"{table}.{column}")
    return sorted(set(found))


def audit_rows() -> dict[int, tuple]:
    return {
        e.pk: (
            e.at,
            e.actor_id,
            e.action,
            e.subject_type,
            e.subject_id,
            e.subject_user_id,
            e.reason,
            e.before,
            e.after,
        )
        for e in AuditEvent.objects.all()
    }


def test_export_holds_the_persons_data_and_nobody_elses(carla, other):
    archive = zipfile.ZipFile(io.BytesIO(user_export(user=carla.user, acting_user=carla.user)))
    names = set(archive.namelist())
    document = json.loads(archive.read("data.json"))
    text = archive.read("data.json").decode()

    assert document["format"] == "credence-personal-data/1"
    assert document["user"] == {"id": carla.user.pk, "email": carla.email, "full_name": carla.name}
    data = document["data"]
    assert {a["id"] for a in data["exams.attempt"]} == set(
        carla.user.attempts.values_list("id", flat=True)
    )
    assert len(data["exams.attempt"]) == 2
    assert [r["answer"] for r in data["exams.response"]] == [
        "My name is Carla Certified and this is my essay."
    ]
    assert [c["serial"] for c in data["credentials.certificate"]] == [carla.certificate.serial]
    assert len(data["billing.invoice"]) == 2 and data["billing.payment"]
    assert [c["id"] for c in data["recognition.claim"]] == [carla.claim.pk]
    assert data["portfolios.submission"][0]["url"] == "https://github.com/carla-c/ml"
    assert data["learning.pathplan"][0]["electives"][0] == "nlp"
    assert "password" not in data["accounts.user"][0]
    # Nobody else's data: not their name, address, repository, serial or invoice numbers.
    for foreign in (other.name, other.email, "otto-o", other.certificate.serial):
        assert foreign not in text
    for number in other.user.invoices.values_list("number", flat=True):
        assert number not in text
    # The files: evidence, the certificate as PDF and signed JSON, the invoices as PDF.
    serial = carla.certificate.serial
    assert f"certificates/{serial}/certificate.pdf" in names
    signed = json.loads(archive.read(f"certificates/{serial}/credential.json"))
    assert signed == carla.certificate.credential
    for number in carla.user.invoices.values_list("number", flat=True):
        assert archive.read(f"invoices/{number}.pdf").startswith(b"%PDF")
    [evidence] = [n for n in names if n.startswith("claims/")]
    assert archive.read(evidence).startswith(b"%PDF-1.4")
    assert AuditEvent.objects.filter(action="user.data_exported", subject_user=carla.user).exists()


def test_erasure_removes_the_person_and_keeps_what_law_and_verification_need(
    carla, other, office, settings, django_capture_on_commit_callbacks
):
    user = carla.user
    evidence_names = list(
        ClaimEvidence.objects.filter(claim__candidate=user).values_list("stored_name", flat=True)
    )
    assert occurrences(carla.email, carla.name)  # the search finds them before
    erasure_request(user=user, password=PASSWORD, acting_user=user)
    signed_in = Client()
    signed_in.force_login(user)
    before_erasure = audit_rows()
    other_answers = Response.objects.filter(sitting__booking__attempt__candidate=other.user)
    assert other_answers.count() == 1

    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        erasure = user_erase(user=user, acting_user=office)

    # The account: pseudonymized in place, no way in.
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid" and user.full_name == f"Erased user {user.pk}"
    assert not user.is_active and not user.has_usable_password()
    assert not user.groups.exists()
    assert User.objects.filter(pk=user.pk).exists()  # never deleted

    # The name and the address are nowhere, except inside the signed credential.
    found = occurrences(carla.email, carla.name, "carla-credential-id")
    assert found == [".".join(SIGNED_CREDENTIAL)], found
    carla.certificate.refresh_from_db()
    assert carla.email not in json.dumps(carla.certificate.credential)
    # The repository stays only because the certificate's evidence points to it.
    carla.submission.refresh_from_db()
    assert carla.submission.url == "https://github.com/carla-c/ml"
    assert carla.submission.report is None and carla.submission.identities == []

    # The open session ends, and logging in is impossible, with the old address or the
    # pseudonym.
    assert not Session.objects.filter(session_key=signed_in.session.session_key).exists()
    assert signed_in.get("/account/data/").status_code == 302
    for login in (carla.email, user.email):
        client = Client()
        client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session

    # The answers and the evidence files are gone; the other candidate's are not.
    assert not Response.objects.filter(sitting__booking__attempt__candidate=user).exists()
    assert other_answers.count() == 1
    assert not ClaimEvidence.objects.filter(claim__candidate=user).exists()
    for name in evidence_names:
        assert not evidence_files.FOLDER.path_of(name).exists()

    # The certificate still verifies, exactly as an outside verifier would check it.
    report = credential_selectors.verify_certificate(carla.certificate)
    assert report.standing == Standing.VALID and report.signature_valid, report.problems

    # The ledger still balances; the invoices are filed as issued for the statutory period.
    assert ledger_problems() == []
    call_command("billing", "check", stdout=io.StringIO())
    for number in user.invoices.values_list("number", flat=True):
        archived = settings.CREDENCE_INVOICE_ARCHIVE_DIR / f"{number}.pdf"
        assert archived.read_bytes().startswith(b"%PDF")

    # The audit trail: every earlier row unchanged, one new user.erased without PII.
    after = audit_rows()
    assert {pk: after[pk] for pk in before_erasure} == before_erasure
    [event] = AuditEvent.objects.filter(action="user.erased")
    assert event.subject_user_id == user.pk and event.actor_id == office.pk
    assert carla.email not in json.dumps(event.after) and carla.name not in json.dumps(event.after)

    request = ErasureRequest.objects.get(user=user)
    assert request.status == ErasureStatus.CARRIED_OUT and request.carried_out_by == office
    assert request.summary == erasure.summary
    assert request.summary["exams.response"] == "deleted 1"

    # The other candidate is untouched.
    other.user.refresh_from_db()
    assert other.user.email == other.email and other.user.is_active
    assert occurrences(other.email)
