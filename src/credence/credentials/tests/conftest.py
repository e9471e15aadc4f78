"""Fixtures for the credentials tests: a private keys folder per test, the default program,
and a candidate certified through the real exams services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.exams.services import attempt_book, attempt_record_result

PUBLIC = "https://certs.example.test"


@pytest.fixture(autouse=True)
def english():
    # Another test's request may leave German active in this thread; messages are compared
    # in English here.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def issuer(settings, tmp_path):
    settings.CREDENCE_KEYS_DIR = tmp_path / "keys"
    settings.CREDENCE_ISSUER_DOMAIN = "certs.example.test"
    settings.CREDENCE_PUBLIC_URL = PUBLIC
    settings.CREDENCE_KEY_PASSPHRASE = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def program(db):
    call_command("program", "load", verbosity=0)


@pytest.fixture
def office(db):
    user = User.objects.create_user("office@example.invalid", "x" * 12, full_name="Olivia Office")
    user_assign_role(user=user, role=Role.STAFF, acting_user=None)
    return user


@pytest.fixture
def candidate(db):
    return User.objects.create_user("carla@example.invalid", "x" * 12, full_name="Carla Certified")


def sit(candidate, office, certification, evaluation, held_on, score):
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


def certify(candidate, office, certification, start, scores=("84", "95")):
    sit(candidate, office, certification, "knowledge-test", start, scores[0])
    sit(candidate, office, certification, "portfolio", start + timedelta(days=21), scores[1])


def certify_composite(candidate, office):
    """The AI Engineer award: its four required certifications and two electives, in
    January 2026 (the last one completes it)."""
    for i, code in enumerate(
        ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp", "generative-ai"]
    ):
        certify(candidate, office, code, date(2026, 1, 5 + 3 * i))


@pytest.fixture
def certificate(program, office, candidate):
    """Carla's ML Expert certificate, issued 2026-03-22, valid until 2031-03-22."""
    from credence.credentials.models import Certificate

    certify(candidate, office, "ml-expert", date(2026, 3, 1))
    return Certificate.objects.get(holder=candidate, award="ml-expert")


def signed_with_two_entries(certificate):
    """The certificate's credential as Credence signed it before decision 0049 closed its
    deviation: the same credential with two one-bit status entries, revocation and
    suspension, each at the certificate's index, signed by the current key and stored. Such
    credentials are held and shown today, and must verify exactly as they did."""
    from credence.credentials import dataintegrity, keystore, selectors, services
    from credence.credentials.models import Certificate

    document = dict(services.credential_issue(certificate=certificate))
    del document["proof"]
    index = Certificate.objects.get(pk=certificate.pk).status_index
    document["credentialStatus"] = [
        {
            "id": f"{selectors.status_list_url(purpose)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": selectors.status_list_url(purpose),
        }
        for purpose in ("revocation", "suspension")
    ]
    key = selectors.signing_key()
    signed = dataintegrity.sign(
        document,
        private_key=keystore.load(key.key_id),
        verification_method=selectors.verification_method_id(key),
        created=datetime(2026, 5, 1, tzinfo=UTC),
    )
    signed["proof"] = [signed["proof"]]
    Certificate.objects.filter(pk=certificate.pk).update(credential=signed)
    certificate.refresh_from_db()
    return signed
