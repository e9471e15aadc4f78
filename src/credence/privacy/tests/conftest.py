"""Fixtures for the privacy tests: a candidate with something in every app (attempts and
answers, a signed certificate, paid invoices, a partial-credit claim with an evidence file, a
portfolio submission with its evidence report, a path plan) and a second candidate whose
data must never show up in the first one's export or be touched by their erasure."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.billing.models import Invoice
from credence.billing.payments import payment_record
from credence.credentials.models import Certificate
from credence.credentials.services import credential_issue
from credence.exams.models import Attempt, Booking, ExamSession, Response, Sitting
from credence.exams.services import attempt_book, attempt_record_result
from credence.items.models import Item, ItemVersion
from credence.learning.models import PathPlan
from credence.portfolios.models import Submission
from credence.recognition.models import Claim
from credence.recognition.services import claim_file

PASSWORD = "a long and unusual passphrase"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_folders(settings, tmp_path):
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_CLAIM_EVIDENCE_DIR = tmp_path / "evidence"
    settings.CREDENCE_INVOICE_ARCHIVE_DIR = tmp_path / "invoice-archive"
    settings.CREDENCE_ISSUER_DOMAIN = "certs.example.test"
    settings.CREDENCE_PUBLIC_URL = "https://certs.example.test"
    settings.CREDENCE_KEY_PASSPHRASE = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office(program):
    user = User.objects.create_user("office@example.invalid", PASSWORD, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


def _sit(candidate, office, certification, evaluation, held_on, score) -> Attempt:
    attempt = attempt_book(
        candidate=candidate,
        certification=certification,
        evaluation=evaluation,
        held_on=held_on,
        acting_user=candidate,
    )
    attempt_record_result(
        attempt=attempt, score=Decimal(score), released_on=held_on, acting_user=office
    )
    return attempt


def _pay_everything(candidate, office) -> None:
    for invoice in Invoice.objects.filter(candidate=candidate):
        if invoice.amount_due > 0:
            payment_record(
                reference=invoice.number,
                amount=invoice.amount_due,
                received_on=invoice.issued_on,
                bank_reference=f"{candidate.full_name} {invoice.number}",
                acting_user=office,
                idempotency_key=f"privacy-test-{next(_keys)}",
            )


def _answers(attempt: Attempt, office: User, text: str) -> Sitting:
    """A released sitting of ``attempt`` with one essay answer (made directly: the live test's
    own flow is tested in the exams app; here only what the rows hold matters)."""
    starts = timezone.make_aware(datetime.combine(attempt.held_on, datetime.min.time()))
    session = ExamSession.objects.create(
        venue="Potsdam, room 1",
        starts_at=starts + timedelta(hours=9),
        duration_minutes=90,
        capacity=20,
        booking_deadline=starts,
    )
    session.certifications.add(attempt.certification)
    sitting = Sitting.objects.create(
        booking=Booking.objects.create(session=session, attempt=attempt),
        checked_in_at=session.starts_at,
        checked_in_by=office,
        form=[],
        time_limit_minutes=60,
        started_at=session.starts_at,
        submitted_at=session.starts_at + timedelta(minutes=50),
        score=attempt.score,
        released_at=session.starts_at + timedelta(days=1),
    )
    item, _ = Item.objects.get_or_create(certification=attempt.certification, name="essay-1")
    version, _ = ItemVersion.objects.get_or_create(
        item=item, number=1, defaults={"type": "essay", "content": {"stem": "Explain."}}
    )
    Response.objects.create(
        sitting=sitting, position=0, version=version, answer=text, saved_at=session.starts_at
    )
    return sitting


@dataclass
class Person:
    user: User
    name: str
    email: str
    certificate: Certificate
    claim: Claim
    submission: Submission


def make_person(office, local: str, name: str, repository: str) -> Person:
    email = f"{local}@example.invalid"
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    user_assign_role(user=user, role=Role.CANDIDATE, acting_user=None)
    start = date(2026, 3, 2)
    test = _sit(user, office, "ml-expert", "knowledge-test", start, "84")
    _answers(test, office, f"My name is {name} and this is my essay.")
    portfolio = _sit(user, office, "ml-expert", "portfolio", start + timedelta(days=21), "88")
    submission = Submission.objects.create(
        candidate=user,
        certification=portfolio.certification,
        attempt=portfolio,
        url=repository,
        commit="a" * 40,
        identities=[{"name": name, "email": email}],
        status="released",
        report={"authors": [{"name": name, "email": email, "commits": 12}]},
        rubric={"criteria": []},
        feedback=f"Well done, {name}.",
    )
    _pay_everything(user, office)
    certificate = Certificate.objects.get(holder=user, award="ml-expert")
    credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    claim = claim_file(
        candidate=user,
        external=None,
        other_name="Some Vendor ML Associate",
        other_provider="Some Vendor",
        credential_id=f"{local}-credential-id",
        issued_on=date(2026, 1, 10),
        expires_on=None,
        note=f"Issued to {name}",
        evidence=[SimpleUploadedFile(f"{local}.pdf", PDF, content_type="application/pdf")],
        acting_user=user,
        today=date(2026, 4, 1),
    )
    PathPlan.objects.create(candidate=user, electives=["nlp", "computer-vision", "generative-ai"])
    return Person(user, name, email, certificate, claim, submission)


@pytest.fixture
def carla(office) -> Person:
    return make_person(office, "carla", "Carla Certified", "https://github.com/carla-c/ml")


@pytest.fixture
def other(office) -> Person:
    return make_person(office, "otto", "Otto Other", "https://github.com/otto-o/ml")


def past_grace(days: int = 15) -> datetime:
    return timezone.now() + timedelta(days=days)
