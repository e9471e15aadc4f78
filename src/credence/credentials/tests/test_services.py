"""Issuing, signing, rotating keys, revoking and suspending, reminders: against a real
database, real keys on disk and real signatures."""

from __future__ import annotations

import copy
import json
import stat
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import translation

from credence.audit.models import AuditEvent
from credence.credentials import selectors, services, statuslist
from credence.credentials.models import Certificate, ExpiryReminder, SigningKey
from credence.credentials.openbadges import build_status_list_credential
from credence.credentials.statuses import Standing, StatusState
from credence.credentials.tests.conftest import certify, certify_composite, signed_with_two_entries
from credence.credentials.verification import verify_credential

AFTER_ISSUE = datetime(2026, 6, 1, 12, tzinfo=UTC)


def verify(certificate, now=AFTER_ISSUE):
    certificate.refresh_from_db()
    return selectors.verify_certificate(certificate, now)


def test_r5_award_takes_a_status_list_entry_and_the_credential_is_signed_on_first_use(
    certificate,
):
    assert certificate.status_index is not None
    assert 0 <= certificate.status_index < statuslist.LIST_SIZE
    assert certificate.credential is None
    credential = services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.credential == credential
    assert services.credential_issue(certificate=certificate) == credential  # unchanged
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:certs.example.test"
    assert credential["proof"][0]["verificationMethod"].startswith(
        "did:web:certs.example.test#key-"
    )
    assert credential["validFrom"] == "2026-03-21T23:00:00Z"  # midnight in Berlin (CET)
    assert credential["validUntil"] == "2031-03-22T22:59:59Z"  # last second of the day, CEST
    assert credential["credentialSubject"]["name"] == "Carla Certified"
    narrative = credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "What it does not prove:\n- Deep theoretical understanding" in narrative
    assert "- Research capability" in narrative
    # no score band unless the holder approves it (decision 0054)
    bands = [e["description"] for e in credential["evidence"]]
    assert bands[0] == "Passed on 2026-03-01 (pass mark 70)"
    assert "score band" not in json.dumps(credential)
    assert AuditEvent.objects.filter(action="credential.signed").count() == 1


def test_the_first_key_is_made_on_first_use_and_kept_out_of_the_database(certificate, settings):
    services.credential_issue(certificate=certificate)
    [key] = SigningKey.objects.all()
    path = settings.CREDENCE_KEYS_DIR / f"{key.key_id}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.CREDENCE_KEYS_DIR.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in path.read_bytes()
    assert "PRIVATE" not in str(SigningKey.objects.values().get())


def test_keys_can_be_encrypted_with_a_passphrase(certificate, settings):
    settings.CREDENCE_KEY_PASSPHRASE = "correct horse battery staple"
    key = services.signing_key_create(acting_user=None)
    assert (
        b"ENCRYPTED PRIVATE KEY" in (settings.CREDENCE_KEYS_DIR / f"{key.key_id}.pem").read_bytes()
    )
    services.credential_issue(certificate=certificate)
    assert verify(certificate).standing == Standing.VALID
    settings.CREDENCE_KEY_PASSPHRASE = "wrong"
    with pytest.raises(services.keystore.KeyUnavailable, match="PASSPHRASE"):
        services.keystore.load(key.key_id)


def test_a_signed_certificate_verifies_valid_and_expires_after_its_last_day(certificate):
    services.credential_issue(certificate=certificate)
    report = verify(certificate)
    assert report.standing == Standing.VALID and report.status_checked
    assert report.state_of("revocation") == StatusState.CLEAR
    last_second = datetime(2031, 3, 22, 22, 59, 59, tzinfo=UTC)
    assert verify(certificate, last_second).standing == Standing.VALID
    assert verify(certificate, datetime(2031, 3, 22, 23, 0, tzinfo=UTC)).standing == (
        Standing.EXPIRED
    )


def test_credentials_signed_with_a_rotated_key_still_verify(program, office, candidate):
    first_key = services.signing_key_create(acting_user=office)
    certify(candidate, office, "ml-expert", date(2026, 3, 1))
    old = Certificate.objects.get(award="ml-expert")
    services.credential_issue(certificate=old)
    new_key = services.signing_key_rotate(acting_user=office)
    certify(candidate, office, "mlops", date(2026, 3, 1))
    new = Certificate.objects.get(award="mlops")
    services.credential_issue(certificate=new)
    assert (
        old.__class__.objects.get(pk=old.pk)
        .credential["proof"][0]["verificationMethod"]
        .endswith(first_key.key_id)
    )
    new.refresh_from_db()
    assert new.credential["proof"][0]["verificationMethod"].endswith(new_key.key_id)
    assert verify(old).standing == Standing.VALID
    assert verify(new).standing == Standing.VALID
    document = selectors.did_document()
    assert len(document["assertionMethod"]) == 2
    assert AuditEvent.objects.filter(action="signing_key.rotated", actor=office).exists()


def test_a_key_that_is_not_in_the_did_document_does_not_verify(certificate):
    services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    report = verify_credential(
        certificate.credential,
        now=AFTER_ISSUE,
        did_documents={"did:web:certs.example.test": {"id": "did:web:certs.example.test"}},
    )
    assert report.standing == Standing.INVALID
    assert "has no key" in report.problems[0]


def test_revocation_shows_at_once_and_is_audited_with_the_reason(certificate, office):
    services.credential_issue(certificate=certificate)
    services.certificate_revoke(
        certificate=certificate,
        reason="Identity fraud at the test",
        acting_user=office,
        today=date(2026, 5, 1),
    )
    report = verify(certificate)
    assert report.standing == Standing.REVOKED
    assert report.state_of("revocation") == StatusState.SET
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.actor == office and event.reason == "Identity fraud at the test"
    with pytest.raises(services.StatusChangeRefused, match="final"):
        services.certificate_suspend(certificate=certificate, reason="x", acting_user=office)


def test_suspension_and_reinstatement(certificate, office):
    services.credential_issue(certificate=certificate)
    services.certificate_suspend(certificate=certificate, reason="Under review", acting_user=office)
    assert verify(certificate).standing == Standing.SUSPENDED
    with pytest.raises(services.StatusChangeRefused, match="already"):
        services.certificate_suspend(certificate=certificate, reason="again", acting_user=office)
    services.certificate_reinstate(certificate=certificate, reason="Cleared", acting_user=office)
    assert verify(certificate).standing == Standing.VALID
    actions = list(
        AuditEvent.objects.filter(action__startswith="certificate.").values_list(
            "action", flat=True
        )
    )
    assert "certificate.suspended" in actions and "certificate.reinstated" in actions


def test_a_status_change_needs_a_reason_and_changes_nothing_without_one(certificate, office):
    with pytest.raises(services.StatusChangeRefused, match="reason"):
        services.certificate_revoke(certificate=certificate, reason="  ", acting_user=office)
    certificate.refresh_from_db()
    assert certificate.revoked_on is None
    assert not AuditEvent.objects.filter(action="certificate.revoked").exists()


def test_status_unknown_is_never_reported_as_valid(certificate, settings):
    services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    # An outside verifier without the status lists
    report = verify_credential(
        certificate.credential,
        now=AFTER_ISSUE,
        did_documents={selectors.issuer_did(): selectors.did_document()},
    )
    assert report.signature_valid and report.standing == Standing.STATUS_UNKNOWN
    # The platform itself when its key has gone missing: lists cannot be signed
    for path in settings.CREDENCE_KEYS_DIR.iterdir():
        path.unlink()
    assert verify(certificate).standing == Standing.STATUS_UNKNOWN


def test_the_status_list_credential_is_signed_by_the_same_issuer(certificate, office):
    services.credential_issue(certificate=certificate)
    services.certificate_revoke(certificate=certificate, reason="r", acting_user=office)
    listing = selectors.status_list_credential("message")
    assert listing["issuer"] == "did:web:certs.example.test"
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listing["credentialSubject"]["statusPurpose"] == "message"
    bits = statuslist.decode(listing["credentialSubject"]["encodedList"], status_size=2)
    assert statuslist.value_at(bits, certificate.status_index, 2) == 0x2  # revoked
    services.dataintegrity.verify(listing, _resolver())


def test_a_credential_has_one_status_entry_with_two_bits_and_four_messages(certificate):
    """Bitstring Status List 2.1: statusSize 2 needs statusMessage with 2**2 values, each a
    hexadecimal status and a message; Open Badges 3.0 allows one entry (decision 0049)."""
    credential = services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    url = "https://certs.example.test/credentials/status/message"
    assert credential["credentialStatus"] == {
        "id": f"{url}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": str(certificate.status_index),
        "statusSize": 2,
        "statusMessage": [
            {"status": "0x0", "message": "in force"},
            {"status": "0x1", "message": "suspended"},
            {"status": "0x2", "message": "revoked"},
            {"status": "0x3", "message": "undefined"},
        ],
        "statusReference": f"https://certs.example.test/certificates/{certificate.serial}/",
        "statusListCredential": url,
    }


def _values(purpose: str, index: int) -> int:
    listing = selectors.status_list_credential(purpose)
    size = 2 if purpose == "message" else 1
    bits = statuslist.decode(listing["credentialSubject"]["encodedList"], status_size=size)
    return statuslist.value_at(bits, index, size)


def test_every_list_follows_the_certificate_in_the_transaction_that_changes_it(certificate, office):
    """The message list of the credentials signed now and the revocation and suspension
    lists of those signed before: the same index, changed by the same service."""
    services.credential_issue(certificate=certificate)
    index = certificate.status_index
    lists = ("message", "revocation", "suspension")
    assert [_values(p, index) for p in lists] == [0x0, 0, 0]
    services.certificate_suspend(certificate=certificate, reason="Review", acting_user=office)
    assert [_values(p, index) for p in lists] == [0x1, 0, 1]
    services.certificate_reinstate(certificate=certificate, reason="Cleared", acting_user=office)
    assert [_values(p, index) for p in lists] == [0x0, 0, 0]
    services.certificate_suspend(certificate=certificate, reason="Review", acting_user=office)
    services.certificate_revoke(certificate=certificate, reason="Fraud", acting_user=office)
    # revocation is final and lifts the suspension: 0x3 is never written
    assert [_values(p, index) for p in lists] == [0x2, 1, 0]


@pytest.mark.parametrize("form", ["one message entry", "two entries, signed before 0049"])
def test_in_force_suspended_and_revoked_are_told_apart_in_either_form(certificate, office, form):
    if form == "one message entry":
        credential = services.credential_issue(certificate=certificate)
        assert credential["credentialStatus"]["statusPurpose"] == "message"
    else:
        credential = signed_with_two_entries(certificate)
        assert [e["statusPurpose"] for e in credential["credentialStatus"]] == [
            "revocation",
            "suspension",
        ]
    report = verify(certificate)
    assert report.standing == Standing.VALID and report.status_checked
    assert report.state_of("revocation") == report.state_of("suspension") == StatusState.CLEAR
    services.certificate_suspend(certificate=certificate, reason="Review", acting_user=office)
    report = verify(certificate)
    assert report.standing == Standing.SUSPENDED
    assert report.state_of("suspension") == StatusState.SET
    assert report.state_of("revocation") == StatusState.CLEAR
    services.certificate_reinstate(certificate=certificate, reason="Cleared", acting_user=office)
    assert verify(certificate).standing == Standing.VALID
    services.certificate_revoke(certificate=certificate, reason="Fraud", acting_user=office)
    report = verify(certificate)
    assert report.standing == Standing.REVOKED
    assert report.state_of("revocation") == StatusState.SET
    assert report.state_of("suspension") == StatusState.CLEAR
    assert verify(certificate).statuses == report.statuses
    if form == "one message entry":
        [status] = report.statuses
        assert (status.purpose, status.state, status.message) == ("message", "set", "revoked")
    else:
        assert [(s.purpose, s.state) for s in report.statuses] == [
            ("revocation", "set"),
            ("suspension", "clear"),
        ]


def _message_list_with(value: int, index: int) -> dict:
    """Our message list, signed, with ``value`` at ``index``: a value Credence never writes."""
    key = selectors.signing_key()
    document = build_status_list_credential(
        url=selectors.status_list_url("message"),
        issuer_did=selectors.issuer_did(),
        purpose="message",
        encoded_list=statuslist.encode([(index, value)], status_size=2),
        valid_from=AFTER_ISSUE,
    )
    return services.dataintegrity.sign(
        document,
        private_key=services.keystore.load(key.key_id),
        verification_method=selectors.verification_method_id(key),
        created=AFTER_ISSUE,
    )


def test_the_undefined_value_is_a_status_that_could_not_be_checked_never_in_force(certificate):
    credential = services.credential_issue(certificate=certificate)
    certificate.refresh_from_db()
    listing = _message_list_with(0x3, certificate.status_index)
    report = verify_credential(
        credential,
        now=AFTER_ISSUE,
        did_documents={selectors.issuer_did(): selectors.did_document()},
        status_lists={listing["id"]: listing}.get,
    )
    assert report.standing == Standing.STATUS_UNKNOWN and report.signature_valid
    [status] = report.statuses
    assert status.state == StatusState.UNKNOWN and status.message == "undefined"
    assert "0x3" in status.detail


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda e: e.pop("statusMessage"), "statusMessage"),
        (lambda e: e["statusMessage"].pop(), "statusMessage"),
        (lambda e: e.__setitem__("statusSize", "2"), "statusSize"),
        (lambda e: e.__setitem__("statusSize", 1), "statusMessage"),
        (lambda e: e.__setitem__("statusSize", 10**9), "statusSize"),
    ],
)
def test_a_message_entry_without_its_messages_is_not_read(certificate, change, why):
    """Whatever the list says, an entry that does not declare its values is not read as in
    force (the signature fails too, as the entry is signed; the status says why on its own)."""
    credential = copy.deepcopy(services.credential_issue(certificate=certificate))
    change(credential["credentialStatus"])
    report = verify_credential(
        credential,
        now=AFTER_ISSUE,
        did_documents={selectors.issuer_did(): selectors.did_document()},
        status_lists=lambda url: selectors.status_list_credential("message"),
    )
    [status] = report.statuses
    assert status.state == StatusState.UNKNOWN and why in status.detail


def _resolver():
    from credence.credentials.verification import key_resolver

    return key_resolver({selectors.issuer_did(): selectors.did_document()})


def test_r6_composite_credential_lists_its_components_as_evidence(program, office, candidate):
    certify_composite(candidate, office)
    composite = Certificate.objects.get(award="ai-engineer")
    credential = services.credential_issue(certificate=composite)
    assert len(credential["evidence"]) == 6
    assert all(
        e["id"].startswith("https://certs.example.test/certificates/CRD-")
        for e in credential["evidence"]
    )
    assert (
        "all required certifications"
        in credential["credentialSubject"]["achievement"]["description"]
    )
    assert verify(composite, datetime(2026, 3, 1, tzinfo=UTC)).standing == Standing.VALID


@pytest.fixture
def immediate_tasks(settings):
    # django-tasks resets its backends when TASKS changes
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_expiry_reminders_at_180_90_and_30_days_are_sent_once(
    certificate, immediate_tasks, django_capture_on_commit_callbacks
):
    expiry = date(2031, 3, 22)
    sent = []
    # the worker's active language must not leak into the mail (it is the platform default)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        for days in (180, 90, 30):
            day = expiry - timedelta(days=days)
            assert services.reminders_send_due(today=day - timedelta(days=1)) == []
            [reminder] = services.reminders_send_due(today=day)
            assert services.reminders_send_due(today=day) == []  # idempotent
            sent.append(reminder.days_before)
    assert sent == [180, 90, 30]
    assert ExpiryReminder.objects.count() == 3
    assert len(mail.outbox) == 3
    assert mail.outbox[0].to == ["carla@example.invalid"]
    assert "expires on March 22, 2031" in mail.outbox[0].subject
    assert "https://certs.example.test/certificates/" in mail.outbox[0].body
    assert "recertify from Sept. 22, 2030" in mail.outbox[0].body
    assert "valid 5 years from March 22, 2031" in mail.outbox[0].body


def test_the_composite_is_recomputed_when_an_award_lapses(program, office, candidate):
    first_five = ["ml-expert", "mlops", "responsible-ai", "computer-vision", "nlp"]
    for code in first_five:
        certify(candidate, office, code, date(2026, 1, 5))  # issued 2026-01-26
    certify(candidate, office, "generative-ai", date(2026, 7, 5))  # issued 2026-07-26
    [award] = Certificate.objects.filter(award="ai-engineer")
    assert (award.issued_on, award.valid_until) == (date(2026, 7, 26), date(2031, 7, 26))
    # the five are renewed in their windows, a fourth elective is earned; none of this falls
    # in the composite's own window, so the composite lapses on 2031-07-26 ...
    for code in first_five:
        certify(candidate, office, code, date(2030, 8, 10))
    certify(candidate, office, "multimodal-ml", date(2030, 8, 10))
    assert Certificate.objects.filter(award="ai-engineer").count() == 1
    assert services.composites_recompute(today=date(2031, 7, 20)) == []
    # ... and the daily job awards it afresh the day after, when the components still hold
    [again] = services.composites_recompute(today=date(2031, 7, 28))
    assert (again.award, again.issued_on, again.rule) == ("ai-engineer", date(2031, 7, 27), "R6")
    assert services.composites_recompute(today=date(2031, 7, 29)) == []


def test_the_portfolio_repository_at_the_evaluated_commit_is_evidence(certificate, client):
    from credence.exams.models import Attempt
    from credence.portfolios.models import Submission

    attempt = Attempt.objects.get(candidate=certificate.holder, evaluation__code="portfolio")
    commit = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    Submission.objects.create(
        candidate=certificate.holder,
        certification=attempt.certification,
        attempt=attempt,
        url="https://github.com/carla/churn-model.git",
        commit=commit,
        rubric={},
    )
    credential = services.credential_issue(certificate=certificate)
    [test, portfolio] = credential["evidence"]
    # each evaluation points at its part of the public evidence page (decision 0054)
    page_url = f"https://certs.example.test/certificates/{certificate.serial}/evidence/"
    assert test["id"] == f"{page_url}#knowledge-test"
    assert portfolio["id"] == f"{page_url}#portfolio"
    assert "Repository: https://github.com/carla/churn-model\n" in portfolio["narrative"]
    assert f"Commit: {commit}\n" in portfolio["narrative"]
    page = client.get(f"/certificates/{certificate.serial}/").content.decode()
    assert f"https://github.com/carla/churn-model/tree/{commit}" in page
    assert "not recorded for this certificate" not in page
